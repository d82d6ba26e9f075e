import { describe, expect, it } from 'vitest';
import { ApiError, fieldErrorsOf, toApiError } from './api-error';

describe('ApiError', () => {
  it("reads the API's { error: { code, message, details } }", () => {
    const error = toApiError(401, { error: { code: 'TOKEN_EXPIRED', message: 'Your session token has expired.' } });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED', message: 'Your session token has expired.' });
  });

  it('names network failures and unexpected bodies', () => {
    expect(toApiError(0, null).code).toBe('NETWORK_ERROR');
    expect(toApiError(502, '<html>').code).toBe('BAD_RESPONSE');
  });

  it('reads field errors in both shapes', () => {
    const objectShape = new ApiError(400, 'VALIDATION_FAILED', 'x', { fieldErrors: { a: ['one'], 'b.0': ['two'] } });
    expect(fieldErrorsOf(objectShape)).toEqual({ a: ['one'], 'b.0': ['two'] });
    const listShape = new ApiError(400, 'VALIDATION_FAILED', 'x', [
      { path: ['a'], message: 'one' },
      { path: 'b', message: 'two' },
      { path: [], message: 'whole' },
    ]);
    expect(fieldErrorsOf(listShape)).toEqual({ a: ['one'], b: ['two'], _: ['whole'] });
    expect(fieldErrorsOf(new ApiError(403, 'FORBIDDEN', 'x', { fieldErrors: { a: ['no'] } }))).toEqual({});
  });
});
