// The authenticated principal: who is acting, as used by every route, socket handler and service.
// It is built from the token's user and session ids and the database, never from anything the
// client sends. One SQL statement loads the session's state, the account and its permissions
// together, so checking that a session is still live costs no extra round trip.

import DataLoader from 'dataloader';
import type { Me } from '../../../common/auth.js';
import type { AdminPermission, UserType } from '../../../common/enums.js';
import { ErrorCode } from '../../../common/errors.js';
import type { SessionEndedReason } from '../../../common/realtime.js';
import { type Db, poolOf } from '../../db/client.js';
import { AppError, errors } from '../../errors.js';

export type UserPrincipal = { kind: 'user'; userId: string; userType: UserType };
export type AdminPrincipal = {
  kind: 'admin';
  userId: string;
  adminId: string;
  permissions: readonly AdminPermission[];
};
export type Principal = UserPrincipal | AdminPrincipal;

export type PrincipalWithName = { principal: Principal; displayName: string };

/** Why a session can no longer act (sent to its sockets with `session:ended`). */
export type SessionEndReason = Exclude<SessionEndedReason, 'account_changed'>;

/** A session as it stands now: its principal, or why it has ended. */
export type SessionState =
  | ({ live: true; sessionId: string } & PrincipalWithName)
  | { live: false; sessionId: string; reason: SessionEndReason };

type AccountRow = {
  userId: string;
  role: 'driver' | 'customer' | 'restaurant' | 'admin';
  isActive: boolean;
  userName: string | null;
  adminId: string | null;
  adminName: string | null;
  permissions: AdminPermission[] | null;
};
type SessionRow = AccountRow & {
  sessionId: string;
  revokedReason: string | null;
  revoked: boolean;
  expired: boolean;
};

const ACCOUNT_COLUMNS = `
  u.id AS "userId", u.role::text AS role, u."isActive",
  coalesce(dp."fullName", cp."fullName", rp.name) AS "userName",
  ap.id AS "adminId", ap."displayName" AS "adminName", ar.permissions::text[] AS permissions`;
const ACCOUNT_JOINS = `
  LEFT JOIN "DriverProfile" dp ON dp."userId" = u.id
  LEFT JOIN "CustomerProfile" cp ON cp."userId" = u.id
  LEFT JOIN "RestaurantProfile" rp ON rp."userId" = u.id
  LEFT JOIN "AdminProfile" ap ON ap."userId" = u.id
  LEFT JOIN "AdminRole" ar ON ar.id = ap."roleId"`;

const sessionsWhere = (condition: string) => `
  SELECT s.id AS "sessionId", s."revokedReason", s."revokedAt" IS NOT NULL AS revoked,
         s."expiresAt" <= now() AS expired, ${ACCOUNT_COLUMNS}
    FROM "AuthSession" s JOIN "User" u ON u.id = s."userId" ${ACCOUNT_JOINS}
   WHERE ${condition}`;

// Named (prepared) statements: planning this seven-table join took 1.5 ms of PostgreSQL CPU, more
// than running it. Prepared, a connection plans it once, but only where PostgreSQL finds its
// generic plan as cheap as a plan for the values: for "= $1" yes; for "= ANY($1)" no (its generic
// plan assumes ten ids), so one session, the common case, has a statement of its own.
const ONE_SESSION = { name: 'support-session-state', text: sessionsWhere('s.id = $1::uuid') };
const MANY_SESSIONS = { name: 'support-session-states', text: sessionsWhere('s.id = ANY($1::uuid[])') };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The principal of an account, or null when it cannot act (disabled, or an admin without profile). */
function principalOf(row: AccountRow): PrincipalWithName | null {
  if (!row.isActive) return null;
  if (row.role === 'admin') {
    if (!row.adminId) return null;
    return {
      principal: { kind: 'admin', userId: row.userId, adminId: row.adminId, permissions: row.permissions ?? [] },
      displayName: row.adminName ?? '',
    };
  }
  return { principal: { kind: 'user', userId: row.userId, userType: row.role }, displayName: row.userName ?? '' };
}

function stateOf(row: SessionRow): SessionState {
  const ended = (reason: SessionEndReason): SessionState => ({ live: false, sessionId: row.sessionId, reason });
  if (row.revoked) {
    if (row.revokedReason === 'account_disabled') return ended('account_disabled');
    return ended(row.revokedReason === 'refresh_reuse' ? 'session_revoked' : 'signed_out');
  }
  if (row.expired) return ended('session_expired');
  const found = principalOf(row);
  if (!found) return ended('account_disabled');
  return { live: true, sessionId: row.sessionId, ...found };
}

/**
 * Session rows asked for in the same tick, by every request and handshake, are read by one query
 * (a burst of requests then costs one round trip, not one each); nothing is cached between ticks,
 * so a revocation counts from the next request on.
 */
const sessionReads = new WeakMap<Db, DataLoader<string, SessionRow | null>>();
function sessionReader(db: Db): DataLoader<string, SessionRow | null> {
  let reader = sessionReads.get(db);
  if (!reader) {
    reader = new DataLoader(
      async (ids) => {
        const query = ids.length === 1 ? { ...ONE_SESSION, values: [...ids] } : { ...MANY_SESSIONS, values: [ids] };
        const { rows } = await poolOf(db).query<SessionRow>(query);
        const byId = new Map(rows.map((row) => [row.sessionId, row]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { cache: false, maxBatchSize: 500 },
    );
    sessionReads.set(db, reader);
  }
  return reader;
}

/** The state of each of these sessions; unknown ids count as signed out. */
export async function loadSessionStates(db: Db, sessionIds: readonly string[]): Promise<Map<string, SessionState>> {
  const valid = sessionIds.filter((id) => UUID.test(id));
  const rows = valid.length ? await sessionReader(db).loadMany(valid) : [];
  const states = new Map<string, SessionState>();
  for (const row of rows) {
    if (row instanceof Error) throw row;
    if (row) states.set(row.sessionId, stateOf(row));
  }
  for (const id of sessionIds) {
    if (!states.has(id)) states.set(id, { live: false, sessionId: id, reason: 'signed_out' });
  }
  return states;
}

export const sessionEnded = () =>
  new AppError(401, ErrorCode.SESSION_EXPIRED, 'Your session has ended. Please sign in again.');

/**
 * The principal behind an access token: its session must be live (not signed out, revoked or
 * past its maximum age) and belong to the token's user, and the account must be able to act.
 */
export async function loadSessionPrincipal(db: Db, claims: { sub: string; sid: string }): Promise<PrincipalWithName> {
  const state = (await loadSessionStates(db, [claims.sid])).get(claims.sid);
  if (!state?.live) {
    if (state?.reason === 'account_disabled') throw errors.unauthenticated('This account cannot sign in.');
    throw sessionEnded();
  }
  if (state.principal.userId !== claims.sub) throw errors.unauthenticated('The token is not valid.');
  return state;
}

/** Loads the principal for a user id (at sign-in, before the session exists); refuses accounts that cannot act. */
export async function loadPrincipal(db: Db, userId: string): Promise<PrincipalWithName> {
  const { rows } = UUID.test(userId)
    ? await poolOf(db).query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM "User" u ${ACCOUNT_JOINS} WHERE u.id = $1`, [
        userId,
      ])
    : { rows: [] };
  const found = rows[0] && principalOf(rows[0]);
  if (!found) throw errors.unauthenticated('This account cannot sign in.');
  return found;
}

export function toMe({ principal, displayName }: PrincipalWithName): Me {
  return principal.kind === 'admin'
    ? { ...principal, permissions: [...principal.permissions], displayName }
    : { ...principal, displayName };
}
