// The admin area's frame: app name, navigation by permission, who is signed in, sign out.
import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { SignOutButton, SignOutEverywhereButton } from '../apps/shared/SignOutButton';
import { useAuth } from '../auth/AuthProvider';
import { hasPermission } from '../auth/guards';
import { ADMIN_PATHS } from '../auth/home-path';
import { useUnreadTotals } from '../chat/hooks';
import { ConnectionBanner } from '../chat/socket';
import { UnreadBadge } from '../chat/UnreadBadge';
import { ChatIcon, SettingsIcon } from '../ui/icons';
import { AlertManager } from './alerts/AlertManager';
import { AlertsMenu } from './alerts/AlertsMenu';
import { AvailabilityControl } from './routing/AvailabilityControl';
import { useFailedNotificationCount } from './settings/SettingsLayout';
import { visibleSettingsTabs } from './settings/settings-tabs';

const navLink = ({ isActive }: { isActive: boolean }) =>
  `inline-flex min-h-11 items-center gap-2 rounded-lg px-3 text-sm font-medium whitespace-nowrap ${
    isActive ? 'bg-brand-50 text-brand-700' : 'text-gray-600 hover:bg-gray-100 hover:text-gray-900'
  }`;

export function AdminShell() {
  const { me } = useAuth();
  const canChat = hasPermission(me, 'SUPPORT_CHAT');
  const unread = useUnreadTotals({ enabled: canChat });
  const canSeeSettings = visibleSettingsTabs(me).length > 0;
  // Leads see at a glance when notifications failed for good (Settings → Notifications lists them).
  const failedCount = useFailedNotificationCount();
  // On a phone the navigation scrolls sideways: keep the current page's link in view.
  const nav = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // (Again when the failed count appears and widens the Notifications link.)
  useEffect(() => {
    if (!pathname || failedCount < 0) return;
    nav.current?.querySelector('[aria-current="page"]')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [pathname, failedCount]);
  const navigate = useNavigate();
  return (
    <div className="flex h-full flex-col">
      <header className="flex shrink-0 flex-wrap items-center gap-x-4 gap-y-1 border-b border-gray-200 bg-white px-3 py-1.5 sm:px-5">
        <span className="flex items-center gap-2 font-semibold text-gray-900">
          <span className="flex h-8 w-8 items-center justify-center rounded-lg bg-brand-600 text-white">
            <ChatIcon className="h-4.5 w-4.5" />
          </span>
          <span className="hidden sm:inline">Support Chat</span>
          <span className="rounded bg-gray-100 px-1.5 py-0.5 text-xs font-medium text-gray-600">Admin</span>
        </span>
        <nav
          ref={nav}
          aria-label="Admin"
          className="relative order-last -mx-1 flex w-full gap-1 overflow-x-auto sm:order-none sm:mx-0 sm:w-auto"
        >
          {canChat && (
            <NavLink to={ADMIN_PATHS.supportChat} className={navLink}>
              <ChatIcon className="h-4 w-4" />
              Support chat
              <UnreadBadge
                count={unread.data?.conversations ?? 0}
                label={`${unread.data?.conversations ?? 0} conversations with unread messages`}
              />
            </NavLink>
          )}
          {hasPermission(me, 'SUPPORT_REPORTS') && (
            <NavLink to={ADMIN_PATHS.supportReports} className={navLink}>
              Reports
            </NavLink>
          )}
          {canSeeSettings && (
            <NavLink to={ADMIN_PATHS.settings} className={navLink}>
              <SettingsIcon className="h-4 w-4" />
              Settings
              {failedCount > 0 && (
                <span className="inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-red-700 px-1.5 text-xs font-semibold text-white">
                  <span aria-hidden="true">{failedCount > 99 ? '99+' : failedCount}</span>
                  <span className="sr-only">{`, ${failedCount} failed notifications`}</span>
                </span>
              )}
            </NavLink>
          )}
        </nav>
        <div className="ml-auto flex min-w-0 items-center gap-2">
          {canChat && <AlertsMenu />}
          {canChat && <AvailabilityControl />}
          <span className="hidden truncate text-sm text-gray-700 sm:inline" title="Signed in">
            {me?.displayName}
          </span>
          <div className="hidden items-center gap-1 sm:flex">
            <SignOutButton />
            <SignOutEverywhereButton />
          </div>
          {/* On a phone the account actions fold into a menu, so the header keeps one row. */}
          <details className="relative sm:hidden">
            <summary className="flex min-h-11 cursor-pointer list-none items-center rounded-lg px-3 text-sm font-medium text-gray-700 hover:bg-gray-100">
              Account
            </summary>
            <div className="absolute right-0 z-20 mt-1 flex w-60 flex-col rounded-lg border border-gray-200 bg-white p-1 shadow-lg">
              <p className="truncate px-3 py-2 text-sm text-gray-500">Signed in as {me?.displayName}</p>
              <SignOutButton className="w-full" />
              <SignOutEverywhereButton className="w-full" />
            </div>
          </details>
        </div>
      </header>
      <ConnectionBanner />
      <main className="flex min-h-0 flex-1 flex-col">
        <Outlet />
      </main>
      {/* Alerts (queue, my conversations' messages, mentions) on every admin page, not only in the chat. */}
      {canChat && <AlertManager onOpen={(id) => navigate(`${ADMIN_PATHS.supportChat}/${id}`)} />}
    </div>
  );
}
