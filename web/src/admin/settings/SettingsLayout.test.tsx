import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../../common/auth';
import { routes } from '../../app/routes';
import { AuthTestProvider } from '../../auth/AuthProvider';
import { mockApi } from '../../test/fetch-mock';
import { firstSettingsPath, SETTINGS_TABS, type SettingsTab } from './settings-tabs';

type Permissions = Extract<Me, { kind: 'admin' }>['permissions'];
const admin = (permissions: Permissions): Me => ({
  kind: 'admin',
  userId: 'u3',
  adminId: 'a3',
  permissions,
  displayName: 'Alex Admin',
});
const settings = {
  maxAttachmentSizeMB: 10,
  allowedAttachmentTypes: ['image/jpeg'],
  autoAssignAdmin: false,
  maxOpenConversationsPerAgent: 5,
  agentOfflineGraceSeconds: 60,
};

function renderAt(path: string, me: Me) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const session = { token: 't', expiresAt: new Date(Date.now() + 600_000).toISOString(), me };
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

describe('firstSettingsPath', () => {
  const tabs: SettingsTab[] = [
    { path: 'support', label: 'Support', permission: 'SETTINGS_MANAGE', what: 'x', element: null },
    { path: 'saved-replies', label: 'Saved replies', permission: 'SUPPORT_CHAT', what: 'x', element: null },
  ];

  it('is the first tab the admin may see', () => {
    expect(firstSettingsPath(admin(['SETTINGS_MANAGE', 'SUPPORT_CHAT']), tabs)).toBe('/admin/settings/support');
    expect(firstSettingsPath(admin(['SUPPORT_CHAT']), tabs)).toBe('/admin/settings/saved-replies');
  });

  it('is null for an admin who may see none, and for users', () => {
    expect(firstSettingsPath(admin(['SUPPORT_REPORTS']), tabs)).toBeNull();
    expect(firstSettingsPath({ kind: 'user', userId: 'u', userType: 'driver', displayName: 'D' }, tabs)).toBeNull();
    expect(firstSettingsPath(null, tabs)).toBeNull();
  });

  it('starts with Support, Routing and Notifications', () => {
    expect(SETTINGS_TABS.map((tab) => tab.label).slice(0, 3)).toEqual(['Support', 'Routing', 'Notifications']);
  });
});

describe('the Settings area', () => {
  it('sends /admin/settings to the first tab, under a "Settings" heading with the tab marked', async () => {
    mockApi({
      '/api/admin/settings/support': { status: 200, body: settings },
      '/api/admin/notifications/failed': { status: 200, body: { items: [], total: 2 } },
    });
    const router = renderAt('/admin/settings', admin(['SETTINGS_MANAGE']));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/admin/settings/support');
    const tabs = screen.getByRole('navigation', { name: 'Settings' });
    expect(within(tabs).getByRole('link', { name: 'Support' })).toHaveAttribute('aria-current', 'page');
    expect(await within(tabs).findByRole('link', { name: /Notifications.*2 failed/ })).toBeInTheDocument();
    expect(await screen.findByLabelText('Maximum attachment size')).toBeInTheDocument();
    // The header's Settings link stays current on every tab.
    const header = screen.getByRole('navigation', { name: 'Admin' });
    expect(within(header).getByRole('link', { name: /Settings/ })).toHaveAttribute('aria-current', 'page');

    await userEvent.click(within(tabs).getByRole('link', { name: 'Routing' }));
    expect(router.state.location.pathname).toBe('/admin/settings/routing');
    expect(await screen.findByRole('switch', { name: 'Assign new conversations automatically' })).toBeInTheDocument();
    expect(within(tabs).getByRole('link', { name: 'Routing' })).toHaveAttribute('aria-current', 'page');
  });

  it('loads a tab directly', async () => {
    mockApi({
      '/api/admin/settings/support': { status: 200, body: settings },
      '/api/admin/notifications/failed': { status: 200, body: { items: [], total: 0 } },
    });
    renderAt('/admin/settings/routing', admin(['SETTINGS_MANAGE']));
    expect(await screen.findByLabelText('Open conversations per agent')).toHaveValue(5);
  });

  it('shows the no-access page to an admin who may see no tab, and no Settings link', async () => {
    mockApi({ '/api/admin/support/reports': { status: 200, body: {} } });
    const router = renderAt('/admin/settings', admin(['SUPPORT_REPORTS']));
    expect(await screen.findByRole('heading', { name: "You don't have access to Settings" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/admin/settings');
    expect(screen.queryByRole('navigation', { name: 'Settings' })).not.toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Admin' })).not.toHaveTextContent('Settings');
  });
});
