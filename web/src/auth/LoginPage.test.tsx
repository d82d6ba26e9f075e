import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetch-mock';
import { AuthProvider } from './AuthProvider';
import { LoginPage } from './LoginPage';
import { sessionStore } from './session-store';

function renderLogin() {
  const router = createMemoryRouter(
    [
      { path: '/login', element: <LoginPage /> },
      { path: '/driver', element: <h1>Driver home</h1> },
      { path: '/admin/support-chat', element: <h1>Admin inbox</h1> },
      { path: '/admin/settings', element: <h1>Settings</h1> },
    ],
    { initialEntries: ['/login'] },
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>,
  );
}

async function signIn(email: string, password: string) {
  await userEvent.type(screen.getByLabelText('E-mail'), email);
  await userEvent.type(screen.getByLabelText('Password'), password);
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

const expiresAt = () => new Date(Date.now() + 15 * 60_000).toISOString();

// The page-load refresh (AuthProvider) has run and found no session, except where a test says so.
beforeEach(() => sessionStore.markReady());
afterEach(() => {
  sessionStore.clear('signed-out');
  vi.unstubAllGlobals();
});

describe('LoginPage', () => {
  it("shows the API's message for wrong credentials and stays on the page", async () => {
    mockFetch({
      status: 401,
      body: { error: { code: 'INVALID_CREDENTIALS', message: 'The e-mail or password is wrong.' } },
    });
    renderLogin();
    await signIn('driver@demo.test', 'nope');
    expect(await screen.findByRole('alert')).toHaveTextContent('The e-mail or password is wrong.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(sessionStore.get()).toBeNull();
  });

  it("shows the API's message when rate limited", async () => {
    mockFetch({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'Too many attempts. Try again in 1 minute.' } },
    });
    renderLogin();
    await signIn('driver@demo.test', 'again');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 1 minute.');
  });

  it('signs in, keeps the token and opens the driver app for a driver', async () => {
    const calls = mockFetch({
      status: 200,
      body: {
        token: 'jwt-token',
        expiresAt: expiresAt(),
        me: { kind: 'user', userId: '00000000-0000-4000-8000-000000000001', userType: 'driver', displayName: 'Dana' },
      },
    });
    renderLogin();
    await signIn(' driver@demo.test ', 'demo1234');
    expect(await screen.findByRole('heading', { name: 'Driver home' })).toBeInTheDocument();
    expect(calls[0]).toMatchObject({
      url: '/api/auth/login',
      method: 'POST',
      body: { email: 'driver@demo.test', password: 'demo1234' },
    });
    expect(sessionStore.getToken()).toBe('jwt-token');
    // The token stays in memory: nothing a script could read later is stored.
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('sends an admin with only SETTINGS_MANAGE to the settings page', async () => {
    mockFetch({
      status: 200,
      body: {
        token: 'admin-token',
        expiresAt: expiresAt(),
        me: {
          kind: 'admin',
          userId: '00000000-0000-4000-8000-000000000002',
          adminId: '00000000-0000-4000-8000-000000000003',
          permissions: ['SETTINGS_MANAGE'],
          displayName: 'Sally Settings',
        },
      },
    });
    renderLogin();
    await signIn('settings@demo.test', 'demo1234');
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeInTheDocument();
  });
});

describe('LoginPage after a session ended', () => {
  it('says the session ended when the server expired it', async () => {
    sessionStore.set({
      token: 'old',
      expiresAt: expiresAt(),
      me: { kind: 'user', userId: '00000000-0000-4000-8000-000000000001', userType: 'driver', displayName: 'Dana' },
    });
    sessionStore.clear('expired');
    renderLogin();
    expect(await screen.findByRole('status')).toHaveTextContent('Your session has ended. Please sign in again.');
  });
});
