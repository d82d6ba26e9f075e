import type { Me } from '../../../common/auth';
import type { UserType } from '../../../common/enums';

export const USER_APP_PATHS: Record<UserType, string> = {
  driver: '/driver',
  customer: '/customer',
  restaurant: '/restaurant',
};

export const ADMIN_PATHS = {
  supportChat: '/admin/support-chat',
  settings: '/admin/settings',
  supportSettings: '/admin/settings/support',
  routingSettings: '/admin/settings/routing',
  notificationSettings: '/admin/settings/notifications',
  supportReports: '/admin/support-reports',
  noAccess: '/admin/no-access',
};

/** Where a signed-in person lands: their own app, or the first admin page they may open. */
export function homePathFor(me: Me): string {
  if (me.kind === 'user') return USER_APP_PATHS[me.userType];
  if (me.permissions.includes('SUPPORT_CHAT')) return ADMIN_PATHS.supportChat;
  if (me.permissions.includes('SETTINGS_MANAGE')) return ADMIN_PATHS.settings;
  if (me.permissions.includes('SUPPORT_REPORTS')) return ADMIN_PATHS.supportReports;
  return ADMIN_PATHS.noAccess;
}
