// Server-side sessions (AuthSession rows). A sign-in starts one; its short access tokens carry
// its id, and its refresh token is single-use:
//
//   refresh token = <sessionId>.<generation>.<HMAC-SHA256(key, "<sessionId>.<generation>")>
//
// Each refresh moves the session's generation on by one and hands out the next token. The MAC
// proves that we issued a token for that generation, so the database keeps no secret: a copy of
// the table cannot mint refresh tokens. Presenting an older generation (a stolen token used after
// the owner refreshed, or the owner's token after a thief did) ends the whole session: every
// access and refresh token of it stops working ("reuse detection").
//
// Grace window: two tabs of one browser share the refresh cookie and may refresh at the same
// moment. The one that loses the race presents the immediately-previous generation; within
// REFRESH_GRACE_SECONDS of the rotation it gets an access token but no new refresh token (the
// browser already holds the winner's cookie). Anything older, or later, is a replay.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { type Db, poolOf } from '../../db/client.js';
import { sessionEnded } from './principal.js';

export const REFRESH_GRACE_SECONDS = 15;

/** Stored in AuthSession.revokedReason. */
export type RevokeReason = 'logout' | 'logout_all' | 'refresh_reuse';

export type SessionService = ReturnType<typeof createSessionService>;

export type RotatedSession = {
  userId: string;
  sessionId: string;
  expiresAt: Date;
  /** The next refresh token; null inside the grace window (the caller keeps the one it has). */
  refreshToken: string | null;
};

export function createSessionService(deps: { db: Db; secret: string; maxAgeSeconds: number }) {
  const pool = () => poolOf(deps.db);
  // Its own key, derived from the JWT secret: rotating JWT_SECRET ends every session too.
  const key = Buffer.from(hkdfSync('sha256', deps.secret, '', 'support-chat refresh token', 32));
  const mac = (sessionId: string, generation: number) =>
    createHmac('sha256', key).update(`${sessionId}.${generation}`).digest('base64url');
  const refreshTokenFor = (sessionId: string, generation: number) =>
    `${sessionId}.${generation}.${mac(sessionId, generation)}`;

  /** The session and generation a refresh token names, when we issued it; undefined otherwise. */
  function parse(refreshToken: string | undefined): { sessionId: string; generation: number } | undefined {
    const match = refreshToken?.match(/^([0-9a-f-]{36})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/);
    if (!match) return undefined;
    const [, sessionId = '', generationText = '', presented = ''] = match;
    const generation = Number(generationText);
    const expected = Buffer.from(mac(sessionId, generation));
    const actual = Buffer.from(presented);
    return actual.length === expected.length && timingSafeEqual(actual, expected)
      ? { sessionId, generation }
      : undefined;
  }

  async function end(sessionId: string, reason: RevokeReason): Promise<void> {
    await pool().query(
      `UPDATE "AuthSession" SET "revokedAt" = now(), "revokedReason" = $2 WHERE id = $1 AND "revokedAt" IS NULL`,
      [sessionId, reason],
    );
  }

  return {
    parse,
    end,

    /** Starts a session at sign-in. Also forgets this account's sessions that ended a day ago. */
    async start(userId: string): Promise<{ sessionId: string; expiresAt: Date; refreshToken: string }> {
      await pool().query(
        `DELETE FROM "AuthSession" WHERE "userId" = $1 AND ("expiresAt" < now() - interval '1 day' OR "revokedAt" < now() - interval '1 day')`,
        [userId],
      );
      const { rows } = await pool().query<{ id: string; expiresAt: Date }>(
        `INSERT INTO "AuthSession" ("userId", "expiresAt") VALUES ($1, now() + make_interval(secs => $2))
         RETURNING id, "expiresAt"`,
        [userId, deps.maxAgeSeconds],
      );
      const row = rows[0] as { id: string; expiresAt: Date };
      return { sessionId: row.id, expiresAt: row.expiresAt, refreshToken: refreshTokenFor(row.id, 0) };
    },

    /** Single-use refresh with reuse detection (see the top of this file). Throws SESSION_EXPIRED. */
    async rotate(refreshToken: string | undefined): Promise<RotatedSession> {
      const presented = parse(refreshToken);
      if (!presented) throw sessionEnded();
      const { sessionId, generation } = presented;
      const rotated = await pool().query<{ userId: string; expiresAt: Date; generation: number }>(
        `UPDATE "AuthSession" SET generation = generation + 1, "rotatedAt" = now(), "lastUsedAt" = now()
          WHERE id = $1 AND generation = $2 AND "revokedAt" IS NULL AND "expiresAt" > now()
          RETURNING "userId", "expiresAt", generation`,
        [sessionId, generation],
      );
      const next = rotated.rows[0];
      if (next) {
        return { ...next, sessionId, refreshToken: refreshTokenFor(sessionId, next.generation) };
      }
      const { rows } = await pool().query<{
        userId: string;
        expiresAt: Date;
        generation: number;
        live: boolean;
        inGrace: boolean;
      }>(
        `SELECT "userId", "expiresAt", generation, "revokedAt" IS NULL AND "expiresAt" > now() AS live,
                now() - "rotatedAt" <= make_interval(secs => $2) AS "inGrace"
           FROM "AuthSession" WHERE id = $1`,
        [sessionId, REFRESH_GRACE_SECONDS],
      );
      const current = rows[0];
      if (!current?.live) throw sessionEnded();
      if (current.generation === generation + 1 && current.inGrace) {
        return { userId: current.userId, sessionId, expiresAt: current.expiresAt, refreshToken: null };
      }
      await end(sessionId, 'refresh_reuse');
      throw sessionEnded();
    },

    /** "Sign out everywhere": ends every live session of the account. */
    async endAll(userId: string, reason: RevokeReason): Promise<void> {
      await pool().query(
        `UPDATE "AuthSession" SET "revokedAt" = now(), "revokedReason" = $2 WHERE "userId" = $1 AND "revokedAt" IS NULL`,
        [userId, reason],
      );
    },
  };
}
