// Route guards: who may open which part of the app. The server enforces the same rules; these
// only send people to the right place and explain why instead of showing an empty page.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { AdminPermission, UserType } from '../../../common/enums';
import { useAuth } from './AuthProvider';
import { homePathFor } from './home-path';

/** Signed-out visitors go to /login and come back here afterwards. */
function useLoginRedirect() {
  const location = useLocation();
  return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
}

/** Only this kind of user; everyone else is sent to their own app. */
export function RequireUserType({ userType, children }: { userType: UserType; children: ReactNode }) {
  const { me } = useAuth();
  const toLogin = useLoginRedirect();
  if (!me) return toLogin;
  if (me.kind !== 'user' || me.userType !== userType) return <Navigate to={homePathFor(me)} replace />;
  return children;
}

/** Admins only; drivers, customers and restaurants are sent to their own app. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const toLogin = useLoginRedirect();
  if (!me) return toLogin;
  if (me.kind !== 'admin') return <Navigate to={homePathFor(me)} replace />;
  return children;
}

/** Renders `fallback` (a "no access" page) for admins without the permission. */
export function RequirePermission({
  permission,
  fallback,
  children,
}: {
  permission: AdminPermission;
  fallback: ReactNode;
  children: ReactNode;
}) {
  const { me } = useAuth();
  if (me?.kind !== 'admin' || !me.permissions.includes(permission)) return fallback;
  return children;
}

/** "/" and unknown top-level paths: to the person's home, or to sign in. */
export function HomeRedirect() {
  const { me } = useAuth();
  return <Navigate to={me ? homePathFor(me) : '/login'} replace />;
}

export function hasPermission(me: ReturnType<typeof useAuth>['me'], permission: AdminPermission): boolean {
  return me?.kind === 'admin' && me.permissions.includes(permission);
}
