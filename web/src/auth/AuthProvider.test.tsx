import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../common/auth';
import { mockFetch } from '../test/fetch-mock';
import { AuthProvider, useAuth } from './AuthProvider';
import { sessionStore } from './session-store';

const driver: Me = {
  kind: 'user',
  userId: '00000000-0000-4000-8000-000000000001',
  userType: 'driver',
  displayName: 'Dana',
};
const tokenResponse = (token: string) => ({
  status: 200,
  body: { token, expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(), me: driver },
});

function Probe() {
  const { status, me, logout, logoutEverywhere } = useAuth();
  return (
    <div>
      <p data-testid="who">{status === 'loading' ? 'loading' : (me?.displayName ?? 'signed out')}</p>
      <button type="button" onClick={() => void logout()}>
        Sign out
      </button>
      <button type="button" onClick={() => void logoutEverywhere()}>
        Sign out everywhere
      </button>
    </div>
  );
}

afterEach(() => {
  sessionStore.clear('signed-out');
  vi.unstubAllGlobals();
});

describe('AuthProvider', () => {
  it('on page load gets an access token with the refresh cookie (a JSON POST), keeping it in memory', async () => {
    const calls = mockFetch(tokenResponse('from-cookie'));
    render(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    expect(screen.getByTestId('who')).toHaveTextContent('loading');
    expect(await screen.findByText('Dana')).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ url: '/api/auth/refresh', method: 'POST', body: {} });
    expect(sessionStore.getToken()).toBe('from-cookie');
    expect(localStorage.length).toBe(0);
  });

  it('shows signed out when the page-load refresh finds no session', async () => {
    mockFetch({ status: 401, body: { error: { code: 'SESSION_EXPIRED', message: 'Sign in again.' } } });
    render(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    expect(await screen.findByText('signed out')).toBeInTheDocument();
  });

  it.each([
    ['Sign out', '/api/auth/logout'],
    ['Sign out everywhere', '/api/auth/logout-all'],
  ])('"%s" ends the session on the server and tells the other tabs', async (button, url) => {
    const told: unknown[] = [];
    const otherTab = new BroadcastChannel('support-chat-auth');
    otherTab.onmessage = (event) => told.push(event.data);
    sessionStore.set(tokenResponse('current').body);
    const calls = mockFetch({ status: 204, body: null });
    render(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: button }));
    expect(await screen.findByText('signed out')).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ url, method: 'POST', body: {}, headers: { Authorization: 'Bearer current' } });
    await vi.waitFor(() => expect(told).toEqual([{ type: 'signed-out' }]));
    otherTab.close();
  });

  it('signs this tab out when another tab signs out', async () => {
    sessionStore.set(tokenResponse('current').body);
    render(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    expect(screen.getByTestId('who')).toHaveTextContent('Dana');
    const otherTab = new BroadcastChannel('support-chat-auth');
    await act(async () => otherTab.postMessage({ type: 'signed-out' }));
    expect(await screen.findByText('signed out')).toBeInTheDocument();
    otherTab.close();
  });
});
