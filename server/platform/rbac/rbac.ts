// Role-based access control. Admin permissions come from the admin's AdminRole; these helpers are
// the only place that interprets them, for HTTP routes and socket handlers alike.
import type { AdminPermission } from '../../../common/enums.js';
import { errors } from '../../errors.js';
import type { AdminPrincipal, Principal, UserPrincipal } from '../auth/principal.js';

export function hasPermission(principal: Principal, permission: AdminPermission): principal is AdminPrincipal {
  return principal.kind === 'admin' && principal.permissions.includes(permission);
}

/** Throws 403 unless the principal is an admin holding `permission`. */
export function requirePermission(principal: Principal, permission: AdminPermission): AdminPrincipal {
  if (!hasPermission(principal, permission)) {
    throw errors.forbidden(`This needs the ${permission} permission.`);
  }
  return principal;
}

/** Throws 403 unless the principal is a platform user (driver, customer or restaurant). */
export function requireUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw errors.forbidden('This is for drivers, customers and restaurants.');
  return principal;
}
