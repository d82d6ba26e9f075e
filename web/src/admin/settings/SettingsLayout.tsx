// Admin → Settings: the heading, a tab strip of the settings pages this admin may open
// (links, the current one marked with aria-current), and the page below.
import { useQuery } from '@tanstack/react-query';
import { Navigate, NavLink, Outlet } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { hasPermission } from '../../auth/guards';
import { notificationKeys, notificationsApi } from '../../notifications/api';
import { NoAccessPage } from '../NoAccessPage';
import { firstSettingsPath, SETTINGS_BASE_PATH, visibleSettingsTabs } from './settings-tabs';

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `-mb-px inline-flex min-h-11 items-center border-b-2 px-3 text-sm font-medium whitespace-nowrap ${
    isActive
      ? 'border-brand-600 text-brand-700'
      : 'border-transparent text-gray-600 hover:border-gray-300 hover:text-gray-900'
  }`;

/** Notifications that failed for good (leads only; the header and the Notifications tab show it). */
export function useFailedNotificationCount(): number {
  const { me } = useAuth();
  const failed = useQuery({
    queryKey: notificationKeys.failed,
    queryFn: notificationsApi.failed,
    enabled: hasPermission(me, 'SETTINGS_MANAGE'),
    refetchInterval: 60_000,
  });
  return failed.data?.total ?? 0;
}

export function SettingsLayout() {
  const { me } = useAuth();
  const failedNotifications = useFailedNotificationCount();
  const tabs = visibleSettingsTabs(me);
  if (tabs.length === 0) return <NoAccessPage what="Settings" permission="SETTINGS_MANAGE" />;
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto w-full max-w-4xl px-4 pt-6 pb-10 sm:pt-8">
        <h1 className="text-2xl font-semibold tracking-tight text-gray-900">Settings</h1>
        <nav aria-label="Settings" className="mt-3 flex gap-1 overflow-x-auto border-b border-gray-200">
          {tabs.map((tab) => (
            <NavLink key={tab.path} to={`${SETTINGS_BASE_PATH}/${tab.path}`} className={tabClass}>
              {tab.label}
              {tab.path === 'notifications' && failedNotifications > 0 && (
                <span className="ml-2 inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-red-700 px-1.5 text-xs font-semibold text-white">
                  <span aria-hidden="true">{failedNotifications > 99 ? '99+' : failedNotifications}</span>
                  <span className="sr-only">{`, ${failedNotifications} failed`}</span>
                </span>
              )}
            </NavLink>
          ))}
        </nav>
        <Outlet />
      </div>
    </div>
  );
}

/** /admin/settings alone: the first tab this admin may see, or the no-access page. */
export function SettingsIndex() {
  const { me } = useAuth();
  const path = firstSettingsPath(me);
  return path ? <Navigate to={path} replace /> : <NoAccessPage what="Settings" permission="SETTINGS_MANAGE" />;
}
