// Test data: platform users and admins created directly in the database, with tokens.
import { randomBytes } from 'node:crypto';
import type { AdminPermission, UserType } from '../../common/enums.js';
import type { Db } from '../../server/db/client.js';
import { hashPassword } from '../../server/platform/auth/passwords.js';
import type { TokenService } from '../../server/platform/auth/tokens.js';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

const unique = () => randomBytes(4).toString('hex');

export type TestUser = { userId: string; userType: UserType; email: string; token: string; sessionId: string };
export type TestAdmin = { userId: string; adminId: string; email: string; token: string; sessionId: string };

/** A live session of the account (as a sign-in starts one) and an access token of it. */
export async function signedInToken(
  db: Db,
  tokens: TokenService,
  userId: string,
  ttlSeconds?: number,
): Promise<{ token: string; sessionId: string }> {
  const session = await db.authSession.create({
    data: { userId, expiresAt: new Date(Date.now() + 12 * 3600_000) },
  });
  const { token } = await tokens.issue(userId, session.id, ttlSeconds);
  return { token, sessionId: session.id };
}

export async function createUser(
  db: Db,
  tokens: TokenService,
  userType: UserType,
  profile: { fullName?: string; phone?: string; email?: string } = {},
): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const tag = unique();
  const email = profile.email ?? `${userType}-${tag}@test.example`;
  const fullName = profile.fullName ?? `Test ${userType} ${tag}`;
  const phone = profile.phone ?? `+44 7700 ${String(Math.floor(Math.random() * 900000) + 100000)}`;
  const user = await db.user.create({
    data: {
      email,
      passwordHash: await passwordHash,
      role: userType,
      ...(userType === 'driver' && {
        driverProfile: { create: { fullName, phone, city: 'Leeds', vehicleType: 'scooter' } },
      }),
      ...(userType === 'customer' && { customerProfile: { create: { fullName, phone, city: 'Leeds' } } }),
      ...(userType === 'restaurant' && {
        restaurantProfile: {
          create: {
            name: fullName,
            contactName: `Manager ${tag}`,
            phone,
            address: '1 High St',
            city: 'Leeds',
            cuisine: 'Thai',
          },
        },
      }),
    },
  });
  const { token, sessionId } = await signedInToken(db, tokens, user.id);
  return { userId: user.id, userType, email, token, sessionId };
}

export async function createAdmin(
  db: Db,
  tokens: TokenService,
  permissions: AdminPermission[],
  displayName = `Admin ${unique()}`,
): Promise<TestAdmin> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = `admin-${unique()}@test.example`;
  const role = await db.adminRole.create({ data: { name: `role-${unique()}`, permissions } });
  const user = await db.user.create({
    data: {
      email,
      passwordHash: await passwordHash,
      role: 'admin',
      adminProfile: { create: { displayName, roleId: role.id } },
    },
    include: { adminProfile: true },
  });
  const { token, sessionId } = await signedInToken(db, tokens, user.id);
  return { userId: user.id, adminId: user.adminProfile?.id ?? '', email, token, sessionId };
}

/** fetch against the test server with an optional bearer token and JSON body. */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: test responses are checked field by field
  return { status: response.status, headers: response.headers, json: json as any, text };
}
