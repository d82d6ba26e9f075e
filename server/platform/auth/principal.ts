// The authenticated principal: who is acting, as used by every route, socket handler and service.
// It is built from the token's user id and the database, never from anything the client sends.

import type { Me } from '../../../common/auth.js';
import type { AdminPermission, UserType } from '../../../common/enums.js';
import type { Db, Prisma } from '../../db/client.js';
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

const principalSelect = {
  id: true,
  role: true,
  isActive: true,
  driverProfile: { select: { fullName: true } },
  customerProfile: { select: { fullName: true } },
  restaurantProfile: { select: { name: true } },
  adminProfile: { select: { id: true, displayName: true, role: { select: { permissions: true } } } },
} as const;

type PrincipalRow = Prisma.UserGetPayload<{ select: typeof principalSelect }>;

/** The principal of an account, or null when it cannot act (disabled, or an admin without profile). */
function principalOf(user: PrincipalRow): PrincipalWithName | null {
  if (!user.isActive) return null;
  if (user.role === 'admin') {
    if (!user.adminProfile) return null;
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

/** Loads the principal for a user id; refuses unknown and disabled accounts. */
export async function loadPrincipal(db: Db, userId: string): Promise<PrincipalWithName> {
  const user = await db.user.findUnique({ where: { id: userId }, select: principalSelect });
  const found = user && principalOf(user);
  if (!found) throw errors.unauthenticated('This account cannot sign in.');
  return found;
}

/** The principals of many accounts in one query; accounts that cannot act are left out. */
export async function loadPrincipals(db: Db, userIds: readonly string[]): Promise<Map<string, Principal>> {
  const users = await db.user.findMany({ where: { id: { in: [...userIds] } }, select: principalSelect });
  const principals = new Map<string, Principal>();
  for (const user of users) {
    const found = principalOf(user);
    if (found) principals.set(user.id, found.principal);
  }
  return principals;
}

export function toMe({ principal, displayName }: PrincipalWithName): Me {
  return principal.kind === 'admin'
    ? { ...principal, permissions: [...principal.permissions], displayName }
    : { ...principal, displayName };
}
