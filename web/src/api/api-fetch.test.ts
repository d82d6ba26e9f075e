import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetch-mock';
import { ApiError } from './api-error';
import { apiFetch, buildUrl, configureApiAuth } from './api-fetch';

afterEach(() => {
  vi.unstubAllGlobals();
  configureApiAuth({ getToken: () => null, onUnauthorized: () => {} });
});

describe('apiFetch', () => {
  it('adds the bearer token and sends JSON', async () => {
    configureApiAuth({ getToken: () => 'abc', onUnauthorized: () => {} });
    const calls = mockFetch({ status: 200, body: { ok: true } });
    await expect(apiFetch('/api/x', { method: 'PUT', body: { a: 1 } })).resolves.toEqual({ ok: true });
    expect(calls[0]).toMatchObject({
      url: '/api/x',
      method: 'PUT',
      body: { a: 1 },
      headers: { Authorization: 'Bearer abc', 'Content-Type': 'application/json' },
    });
  });

  it('throws a typed ApiError and ends the session on TOKEN_EXPIRED', async () => {
    const onUnauthorized = vi.fn();
    configureApiAuth({ getToken: () => 'old', onUnauthorized });
    mockFetch({ status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'Your session token has expired.' } } });
    const error = await apiFetch('/api/x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not end a session for a failed sign-in (no token sent)', async () => {
    const onUnauthorized = vi.fn();
    configureApiAuth({ getToken: () => null, onUnauthorized });
    mockFetch({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong.' } } });
    await expect(apiFetch('/api/auth/login', { body: {} })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('builds query strings without empty values', () => {
    expect(buildUrl('/api/x', { a: 'b c', empty: '', none: undefined, n: 0, t: true })).toBe('/api/x?a=b+c&n=0&t=true');
  });
});
