// Access tokens: HS256 JWTs (jose) with issuer, audience and a short expiry.
// A token names its user and its session (`sid`); everything else (whether the session is still
// live, role, permissions, whether the account is active) is loaded from the database, in one
// query, whenever the token is used.
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { errors } from '../../errors.js';

export const TOKEN_ISSUER = 'support-chat';
export const TOKEN_AUDIENCE = 'support-chat-api';

export type TokenClaims = {
  /** User id. */
  sub: string;
  /** Session id (AuthSession.id): ending the session ends the token. */
  sid: string;
  /** Expiry (seconds since the epoch). */
  exp: number;
};

export type TokenService = ReturnType<typeof createTokenService>;

export function createTokenService(options: { secret: string; ttlSeconds: number }) {
  // Imported once: given the raw secret, jose imports it into WebCrypto on every call, which was
  // most of a verification's cost (a burst of 200 requests spent 8% of the server's time there).
  const key = crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(options.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  return {
    ttlSeconds: options.ttlSeconds,

    /** A token for the session; it never outlives `notAfter` (the session's end), when given. */
    async issue(userId: string, sessionId: string, ttlSeconds = options.ttlSeconds, notAfter?: Date) {
      const now = Math.floor(Date.now() / 1000);
      const exp = Math.min(now + ttlSeconds, notAfter ? Math.floor(notAfter.getTime() / 1000) : Infinity);
      const token = await new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(await key);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    /** Throws TOKEN_EXPIRED for an expired token and UNAUTHENTICATED for anything else wrong. */
    async verify(token: string): Promise<TokenClaims> {
      try {
        const { payload } = await jwtVerify(token, await key, {
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          algorithms: ['HS256'],
        });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') {
          throw errors.unauthenticated('The token is not valid.');
        }
        return { sub: payload.sub, sid: payload.sid, exp: payload.exp };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw errors.tokenExpired();
        throw errors.unauthenticated('The token is not valid.');
      }
    },
  };
}
