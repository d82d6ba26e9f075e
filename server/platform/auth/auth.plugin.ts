// Authentication for HTTP: every /api route needs a valid bearer token of a live session unless it
// is declared public with `config: { public: true }`. The principal is then `request.principal`.
// Routes outside /api serve the web app's static files, which hold no data.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.js';
import { errors } from '../../errors.js';
import { loadSessionPrincipal, type Principal } from './principal.js';
import type { TokenClaims, TokenService } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs no token (login, signed document downloads, the SPA). */
    public?: boolean;
  }
  interface FastifyRequest {
    auth: { principal: Principal; displayName: string; claims: TokenClaims } | undefined;
    /** The authenticated principal; throws 401 on a public route without a token. */
    readonly principal: Principal;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer ([A-Za-z0-9._~+/=-]+)$/);
  return match?.[1];
}

export const authPlugin = fp(async (app: FastifyInstance, options: { db: Db; tokens: TokenService }) => {
  app.decorateRequest('auth', undefined);
  app.decorateRequest('principal', {
    getter(this: FastifyRequest) {
      if (!this.auth) throw errors.unauthenticated();
      return this.auth.principal;
    },
  });

  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.public || request.is404) return;
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    const token = bearerToken(request.headers.authorization);
    if (!token) throw errors.unauthenticated();
    const claims = await options.tokens.verify(token);
    // One query: the session is live, the account active, and its permissions.
    const { principal, displayName } = await loadSessionPrincipal(options.db, claims);
    request.auth = { principal, displayName, claims };
  });
});
