import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../common/auth';
import { AuthTestProvider } from '../auth/AuthProvider';
import { mockApi, mockFetch } from '../test/fetch-mock';
import { routes } from './routes';

const driver: Me = { kind: 'user', userId: 'u1', userType: 'driver', displayName: 'Dana Driver' };
const customer: Me = { kind: 'user', userId: 'u2', userType: 'customer', displayName: 'Cleo Customer' };
const admin = (permissions: Extract<Me, { kind: 'admin' }>['permissions']): Me => ({
  kind: 'admin',
  userId: 'u3',
  adminId: 'a3',
  permissions,
  displayName: 'Alex Admin',
});

function renderAt(path: string, me: Me | null) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const session = me ? { token: 't', expiresAt: new Date(Date.now() + 600_000).toISOString(), me } : null;
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AuthTestProvider value={{ session, me, login: vi.fn(), logout: vi.fn() }}>
        <RouterProvider router={router} />
      </AuthTestProvider>
    </QueryClientProvider>,
  );
  return router;
}

afterEach(() => vi.unstubAllGlobals());

describe('routes', () => {
  it('sends a signed-out visitor to the login page', async () => {
    const router = renderAt('/driver/support', null);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });

  it('sends a user who opens the admin area to their own app', async () => {
    mockFetch({ status: 200, body: { messages: 0, conversations: 0 } });
    const router = renderAt('/admin/support-chat', customer);
    expect(await screen.findByRole('heading', { name: 'Hello Cleo' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/customer');
  });

  it('sends a user who opens another app to their own', async () => {
    mockFetch({ status: 200, body: { messages: 0, conversations: 0 } });
    const router = renderAt('/restaurant/help', driver);
    await screen.findByRole('heading', { name: 'Hi Dana' });
    expect(router.state.location.pathname).toBe('/driver');
  });

  it('explains a missing permission instead of showing an empty page', async () => {
    mockApi({ '/api/admin/notifications/failed': { status: 200, body: { items: [], total: 4 } } });
    renderAt('/admin/support-chat', admin(['SETTINGS_MANAGE']));
    expect(await screen.findByRole('heading', { name: "You don't have access to Support chat" })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Support chat/ })).not.toBeInTheDocument();
    // Leads see how many notifications failed for good, on the Settings link.
    expect(await screen.findByRole('link', { name: /Settings.*4 failed notifications/ })).toHaveAttribute(
      'href',
      '/admin/settings',
    );
  });

  it('guards the saved replies page with SETTINGS_MANAGE', async () => {
    mockApi({
      '/api/admin/support/unread': { status: 200, body: { messages: 0, conversations: 0 } },
      '/api/admin/support/saved-replies': { status: 200, body: { items: [] } },
      '/api/admin/notifications/failed': { status: 200, body: { items: [], total: 0 } },
    });
    renderAt('/admin/settings/saved-replies', admin(['SUPPORT_CHAT']));
    // No settings tab at all for this admin: the Settings area says so.
    expect(await screen.findByRole('heading', { name: "You don't have access to Settings" })).toBeInTheDocument();
    cleanup();
    renderAt('/admin/settings/saved-replies', admin(['SETTINGS_MANAGE']));
    expect(await screen.findByRole('heading', { name: 'Saved replies', level: 2 })).toBeInTheDocument();
    expect(await screen.findByText(/No saved replies yet/)).toBeInTheDocument();
  });

  it('shows only the navigation an admin may use, with the unread badge', async () => {
    const calls = mockApi({
      '/api/admin/support/unread': { status: 200, body: { messages: 7, conversations: 3 } },
      '/api/admin/support/conversations': { status: 200, body: { items: [], nextCursor: null } },
    });
    renderAt('/admin/support-chat', admin(['SUPPORT_CHAT']));
    const nav = await screen.findByRole('navigation', { name: 'Admin' });
    expect(nav).toHaveTextContent('Support chat');
    expect(nav).not.toHaveTextContent('Settings');
    expect(await screen.findByText('3 conversations with unread messages')).toBeInTheDocument();
    expect(calls.map((call) => call.url)).toContain('/api/admin/support/unread');
    expect(await screen.findByText('No open conversations. All caught up!')).toBeInTheDocument();
    // The title counts the agent's alerts (admin/alerts/), none yet; not the unread total.
    expect(document.title).toBe('Support chat');
    expect(screen.getByRole('button', { name: 'Alerts' })).toBeInTheDocument();
    expect(screen.getByText('Alex Admin')).toBeInTheDocument();
  });

  it('opens the driver menu with Support Chat in it', async () => {
    mockApi({
      '/api/support/unread': { status: 200, body: { messages: 2, conversations: 1 } },
      '/api/orders': { status: 200, body: { items: [] } },
    });
    const router = renderAt('/driver', driver);
    await userEvent.click(await screen.findByRole('button', { name: /Menu/ }));
    const link = await screen.findByRole('link', { name: /Support Chat/ });
    expect(link).toHaveTextContent('2 unread messages');
    await userEvent.click(link);
    expect(router.state.location.pathname).toBe('/driver/support');
  });

  it('leads a customer from Help to Chat Support', async () => {
    mockFetch(
      { status: 200, body: { messages: 0, conversations: 0 } },
      { status: 200, body: { messages: 0, conversations: 0 } },
    );
    const router = renderAt('/customer', customer);
    await userEvent.click(await screen.findByRole('link', { name: 'Help' }));
    await userEvent.click(await screen.findByRole('link', { name: /Chat Support/ }));
    expect(router.state.location.pathname).toBe('/customer/help/chat');
  });
});
