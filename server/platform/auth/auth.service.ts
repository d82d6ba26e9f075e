// Sign-in and token refresh.
import type { TokenResponse } from '../../../common/auth.js';
import { ErrorCode } from '../../../common/errors.js';
import type { Db } from '../../db/client.js';
import { AppError, errors } from '../../errors.js';
import { UNKNOWN_USER_HASH, verifyPassword } from './passwords.js';
import { loadPrincipal, toMe } from './principal.js';
import type { TokenService } from './tokens.js';

export type AuthService = ReturnType<typeof createAuthService>;

const invalidCredentials = () =>
  new AppError(401, ErrorCode.INVALID_CREDENTIALS, 'The e-mail or password is not correct.');

export function createAuthService(deps: { db: Db; tokens: TokenService; sessionMaxAgeSeconds: number }) {
  const { db, tokens } = deps;

  async function respond(userId: string, sessionStartedAt: number): Promise<TokenResponse> {
    const who = await loadPrincipal(db, userId);
    const { token, expiresAt } = await tokens.issue(userId, sessionStartedAt);
    return { token, expiresAt: expiresAt.toISOString(), me: toMe(who) };
  }

  return {
    /** Unknown e-mail, wrong password and disabled account all get the same answer. */
    async login(email: string, password: string): Promise<TokenResponse> {
      const user = await db.user.findUnique({
        where: { email: email.trim().toLowerCase() },
        select: { id: true, passwordHash: true, isActive: true },
      });
      const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await UNKNOWN_USER_HASH));
      if (!user || !passwordOk || !user.isActive) throw invalidCredentials();
      return respond(user.id, Math.floor(Date.now() / 1000));
    },

    /** A new token for a still-valid one, within the session's maximum age. */
    async refresh(userId: string, sessionStartedAt: number): Promise<TokenResponse> {
      if (Date.now() / 1000 - sessionStartedAt > deps.sessionMaxAgeSeconds) {
        throw new AppError(401, ErrorCode.SESSION_EXPIRED, 'Your session has ended. Please sign in again.');
      }
      return respond(userId, sessionStartedAt);
    },

    async me(userId: string) {
      const who = await loadPrincipal(db, userId).catch(() => {
        throw errors.unauthenticated();
      });
      return toMe(who);
    },
  };
}
