// Access tokens: HS256 JWTs (jose) with issuer, audience and a short expiry.
// A token names its user and the session start; everything else (role, permissions, whether the
// account is still active) is loaded from the database when the token is used.
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { errors } from '../../errors.js';

export const TOKEN_ISSUER = 'support-chat';
export const TOKEN_AUDIENCE = 'support-chat-api';

export type TokenClaims = {
  /** User id. */
  sub: string;
  /** Session start (seconds since the epoch): refreshes keep it, so a session cannot live forever. */
  sst: number;
  /** Expiry (seconds since the epoch). */
  exp: number;
};

export type TokenService = ReturnType<typeof createTokenService>;

export function createTokenService(options: { secret: string; ttlSeconds: number }) {
  const key = new TextEncoder().encode(options.secret);
  return {
    ttlSeconds: options.ttlSeconds,

    async issue(userId: string, sessionStartedAt: number, ttlSeconds = options.ttlSeconds) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + ttlSeconds;
      const token = await new SignJWT({ sst: sessionStartedAt })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    /** Throws TOKEN_EXPIRED for an expired token and UNAUTHENTICATED for anything else wrong. */
    async verify(token: string): Promise<TokenClaims> {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          algorithms: ['HS256'],
        });
        if (typeof payload.sub !== 'string' || typeof payload.sst !== 'number' || typeof payload.exp !== 'number') {
          throw errors.unauthenticated('The token is not valid.');
        }
        return { sub: payload.sub, sst: payload.sst, exp: payload.exp };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw errors.tokenExpired();
        throw errors.unauthenticated('The token is not valid.');
      }
    },
  };
}
