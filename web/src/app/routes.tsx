// Every path of the SPA. The server answers every non-API path with index.html, so each of these
// works on a direct load and a reload.
import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { Navigate } from 'react-router';
import { AdminShell } from '../admin/AdminShell';
import { NoAccessPage } from '../admin/NoAccessPage';
import { SettingsIndex, SettingsLayout } from '../admin/settings/SettingsLayout';
import { SETTINGS_TABS } from '../admin/settings/settings-tabs';
import { SupportChatPage } from '../admin/support-chat/SupportChatPage';
import {
  CUSTOMER_CHAT_PATH,
  CUSTOMER_HELP_PATH,
  CUSTOMER_HELP_TOPICS,
  CustomerApp,
  CustomerHome,
} from '../apps/customer/CustomerApp';
import { DRIVER_SUPPORT_PATH, DriverApp, DriverHome } from '../apps/driver/DriverApp';
import {
  RESTAURANT_CHAT_PATH,
  RESTAURANT_HELP_PATH,
  RESTAURANT_HELP_TOPICS,
  RestaurantApp,
  RestaurantHome,
} from '../apps/restaurant/RestaurantApp';
import { HelpPage } from '../apps/shared/HelpPage';
import { UserSupportChat } from '../apps/shared/UserSupportChat';
import { useAuth } from '../auth/AuthProvider';
import { HomeRedirect, RequireAdmin, RequirePermission, RequireUserType } from '../auth/guards';
import { homePathFor } from '../auth/home-path';
import { LoginPage } from '../auth/LoginPage';
import { Spinner } from '../ui/Spinner';
import { NotFoundPage } from './NotFoundPage';

// Code-split: the reports page and its chart library load only when opened.
const SupportReportsPage = lazy(() => import('../admin/reports/SupportReportsPage'));

function AdminIndex() {
  const { me } = useAuth();
  return <Navigate to={me ? homePathFor(me) : '/login'} replace />;
}

export const routes: RouteObject[] = [
  { path: '/', element: <HomeRedirect /> },
  { path: '/login', element: <LoginPage /> },
  {
    path: '/admin',
    element: (
      <RequireAdmin>
        <AdminShell />
      </RequireAdmin>
    ),
    children: [
      { index: true, element: <AdminIndex /> },
      {
        path: 'support-chat/*',
        element: (
          <RequirePermission
            permission="SUPPORT_CHAT"
            fallback={<NoAccessPage what="Support chat" permission="SUPPORT_CHAT" />}
          >
            <SupportChatPage />
          </RequirePermission>
        ),
      },
      {
        // Admin → Settings: one tab per entry of SETTINGS_TABS, each behind its own permission.
        path: 'settings',
        element: <SettingsLayout />,
        children: [
          { index: true, element: <SettingsIndex /> },
          ...SETTINGS_TABS.map((tab) => ({
            path: tab.path,
            element: (
              <RequirePermission
                permission={tab.permission}
                fallback={<NoAccessPage what={tab.what} permission={tab.permission} />}
              >
                {tab.element}
              </RequirePermission>
            ),
          })),
          { path: '*', element: <NotFoundPage homePath="/admin/settings" /> },
        ],
      },
      {
        path: 'support-reports',
        element: (
          <RequirePermission
            permission="SUPPORT_REPORTS"
            fallback={<NoAccessPage what="Support reports" permission="SUPPORT_REPORTS" />}
          >
            <Suspense fallback={<Spinner label="Loading reports" />}>
              <SupportReportsPage />
            </Suspense>
          </RequirePermission>
        ),
      },
      { path: 'no-access', element: <NoAccessPage /> },
      { path: '*', element: <NotFoundPage homePath="/admin" /> },
    ],
  },
  {
    path: '/driver',
    element: (
      <RequireUserType userType="driver">
        <DriverApp />
      </RequireUserType>
    ),
    children: [
      { index: true, element: <DriverHome /> },
      {
        path: 'support/*',
        element: <UserSupportChat basePath={DRIVER_SUPPORT_PATH} backTo="/driver" backLabel="Deliveries" />,
      },
      { path: '*', element: <NotFoundPage homePath="/driver" /> },
    ],
  },
  {
    path: '/customer',
    element: (
      <RequireUserType userType="customer">
        <CustomerApp />
      </RequireUserType>
    ),
    children: [
      { index: true, element: <CustomerHome /> },
      { path: 'help', element: <HelpPage chatPath={CUSTOMER_CHAT_PATH} topics={CUSTOMER_HELP_TOPICS} /> },
      {
        path: 'help/chat/*',
        element: <UserSupportChat basePath={CUSTOMER_CHAT_PATH} backTo={CUSTOMER_HELP_PATH} backLabel="Help" />,
      },
      { path: '*', element: <NotFoundPage homePath="/customer" /> },
    ],
  },
  {
    path: '/restaurant',
    element: (
      <RequireUserType userType="restaurant">
        <RestaurantApp />
      </RequireUserType>
    ),
    children: [
      { index: true, element: <RestaurantHome /> },
      { path: 'help', element: <HelpPage chatPath={RESTAURANT_CHAT_PATH} topics={RESTAURANT_HELP_TOPICS} /> },
      {
        path: 'help/chat/*',
        element: <UserSupportChat basePath={RESTAURANT_CHAT_PATH} backTo={RESTAURANT_HELP_PATH} backLabel="Help" />,
      },
      { path: '*', element: <NotFoundPage homePath="/restaurant" /> },
    ],
  },
  { path: '*', element: <HomeRedirect /> },
];
