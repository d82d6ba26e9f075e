// Sign-in, token refresh and sign-out. A sign-in starts a server-side session (sessions.ts); the
// access tokens name it, and ending it ends them at once.
import type { TokenResponse } from '../../../common/auth.js';
import { ErrorCode } from '../../../common/errors.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { UNKNOWN_USER_HASH, verifyPassword } from './passwords.js';
import { loadPrincipal, loadSessionPrincipal, loadSessionStates, type PrincipalWithName, toMe } from './principal.js';
import type { SessionService } from './sessions.js';
import type { TokenService } from './tokens.js';

export type AuthService = ReturnType<typeof createAuthService>;

/** The JSON answer, plus the refresh token for the cookie (null: keep the one you have). */
export type SignedIn = { response: TokenResponse; refreshToken: string | null; sessionExpiresAt: Date };

const invalidCredentials = () =>
  new AppError(401, ErrorCode.INVALID_CREDENTIALS, 'The e-mail or password is not correct.');

export function createAuthService(deps: { db: Db; tokens: TokenService; sessions: SessionService }) {
  const { db, tokens, sessions } = deps;

  async function respond(
    who: PrincipalWithName,
    session: { sessionId: string; expiresAt: Date; refreshToken: string | null },
  ): Promise<SignedIn> {
    const { token, expiresAt } = await tokens.issue(
      who.principal.userId,
      session.sessionId,
      undefined,
      session.expiresAt,
    );
    return {
      response: { token, expiresAt: expiresAt.toISOString(), me: toMe(who) },
      refreshToken: session.refreshToken,
      sessionExpiresAt: session.expiresAt,
    };
  }

  return {
    /** Unknown e-mail, wrong password and disabled account all get the same answer. */
    async login(email: string, password: string): Promise<SignedIn> {
      const user = await db.user.findUnique({
        where: { email: email.trim().toLowerCase() },
        select: { id: true, passwordHash: true, isActive: true },
      });
      const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await UNKNOWN_USER_HASH));
      if (!user || !passwordOk || !user.isActive) throw invalidCredentials();
      const who = await loadPrincipal(db, user.id).catch(() => {
        throw invalidCredentials();
      });
      return respond(who, await sessions.start(user.id));
    },

    /** A new access token (and the next refresh token) for a refresh token; throws SESSION_EXPIRED. */
    async refresh(refreshToken: string | undefined): Promise<SignedIn> {
      const session = await sessions.rotate(refreshToken);
      const who = await loadSessionPrincipal(db, { sub: session.userId, sid: session.sessionId });
      return respond(who, session);
    },

    /** Ends the session of this refresh token (any generation we issued). Nothing to end is fine. */
    async logout(sessionId: string | undefined): Promise<void> {
      if (sessionId) await sessions.end(sessionId, 'logout');
    },

    /**
     * Ends every session of the account, when `sessionId` is still live (so a token of a session
     * that already ended cannot sign the account out elsewhere). Signed-out sessions: nothing.
     */
    async logoutAll(sessionId: string): Promise<void> {
      const state = (await loadSessionStates(db, [sessionId])).get(sessionId);
      if (state?.live) await sessions.endAll(state.principal.userId, 'logout_all');
    },
  };
}
