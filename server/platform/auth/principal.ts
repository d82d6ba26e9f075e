// The authenticated principal: who is acting, as used by every route, socket handler and service.
// It is built from the token's user id and the database, never from anything the client sends.

import type { Me } from '../../../common/auth.js';
import type { AdminPermission, UserType } from '../../../common/enums.js';
import type { Db } from '../../db/client.js';
import { errors } from '../../errors.js';

export type UserPrincipal = { kind: 'user'; userId: string; userType: UserType };
export type AdminPrincipal = {
  kind: 'admin';
  userId: string;
  adminId: string;
  permissions: readonly AdminPermission[];
};
export type Principal = UserPrincipal | AdminPrincipal;

export type PrincipalWithName = { principal: Principal; displayName: string };

/** Loads the principal for a user id; refuses unknown and disabled accounts. */
export async function loadPrincipal(db: Db, userId: string): Promise<PrincipalWithName> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      role: true,
      isActive: true,
      driverProfile: { select: { fullName: true } },
      customerProfile: { select: { fullName: true } },
      restaurantProfile: { select: { name: true } },
      adminProfile: { select: { id: true, displayName: true, role: { select: { permissions: true } } } },
    },
  });
  if (!user?.isActive) throw errors.unauthenticated('This account cannot sign in.');
  if (user.role === 'admin') {
    if (!user.adminProfile) throw errors.unauthenticated('This account cannot sign in.');
    return {
      principal: {
        kind: 'admin',
        userId: user.id,
        adminId: user.adminProfile.id,
        permissions: user.adminProfile.role.permissions,
      },
      displayName: user.adminProfile.displayName,
    };
  }
  const displayName =
    user.driverProfile?.fullName ?? user.customerProfile?.fullName ?? user.restaurantProfile?.name ?? '';
  return { principal: { kind: 'user', userId: user.id, userType: user.role }, displayName };
}

export function toMe({ principal, displayName }: PrincipalWithName): Me {
  return principal.kind === 'admin'
    ? { ...principal, permissions: [...principal.permissions], displayName }
    : { ...principal, displayName };
}
