// The tabs of Admin → Settings, in order: one entry per page. A new settings page is one more line
// here (routes.tsx, the tab strip and the /admin/settings redirect all read this list).
import type { ReactNode } from 'react';
import type { Me } from '../../../../common/auth';
import type { AdminPermission } from '../../../../common/enums';
import { NotificationSettingsPage } from './NotificationSettingsPage';
import { RoutingSettingsPage } from './RoutingSettingsPage';
import { SavedRepliesSettingsPage } from './SavedRepliesSettingsPage';
import { SupportSettingsPage } from './SupportSettingsPage';

export type SettingsTab = {
  /** Under /admin/settings/. */
  path: string;
  label: string;
  /** Who sees the tab; the server checks the same permission on the page's API. */
  permission: AdminPermission;
  /** "You don't have access to …" on a direct load without the permission. */
  what: string;
  element: ReactNode;
};

export const SETTINGS_BASE_PATH = '/admin/settings';

export const SETTINGS_TABS: readonly SettingsTab[] = [
  {
    path: 'support',
    label: 'Support',
    permission: 'SETTINGS_MANAGE',
    what: 'Support settings',
    element: <SupportSettingsPage />,
  },
  {
    path: 'routing',
    label: 'Routing',
    permission: 'SETTINGS_MANAGE',
    what: 'Routing settings',
    element: <RoutingSettingsPage />,
  },
  {
    path: 'notifications',
    label: 'Notifications',
    permission: 'SETTINGS_MANAGE',
    what: 'Notification settings',
    element: <NotificationSettingsPage />,
  },
  {
    path: 'saved-replies',
    label: 'Saved replies',
    permission: 'SETTINGS_MANAGE',
    what: 'Saved replies',
    element: <SavedRepliesSettingsPage />,
  },
];

/** The tabs this person may open, in order. */
export function visibleSettingsTabs(me: Me | null, tabs: readonly SettingsTab[] = SETTINGS_TABS): SettingsTab[] {
  if (me?.kind !== 'admin') return [];
  return tabs.filter((tab) => me.permissions.includes(tab.permission));
}

/** Where /admin/settings alone leads: the first tab they may see, else the no-access page (null). */
export function firstSettingsPath(me: Me | null, tabs: readonly SettingsTab[] = SETTINGS_TABS): string | null {
  const first = visibleSettingsTabs(me, tabs)[0];
  return first ? `${SETTINGS_BASE_PATH}/${first.path}` : null;
}
