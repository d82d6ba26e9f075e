// POST /api/auth/login, /refresh, /logout, /logout-all; GET /api/auth/me
//
// The refresh token lives in an HttpOnly, Secure, SameSite=Strict cookie scoped to /api/auth, so
// page scripts never see it and the browser sends it nowhere else; the short access token is kept
// in memory by the web app. The cookie routes also refuse cross-site requests: they need a JSON
// body (a cross-origin JSON POST needs a CORS preflight, which this server never grants) and an
// allowed Origin when the browser sends one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginRequest, Me, TokenResponse } from '../../../common/auth.js';
import { ErrorResponse } from '../../../common/errors.js';
import { AppError, errors } from '../../errors.js';
import { bearerToken } from './auth.plugin.js';
import type { AuthService, SignedIn } from './auth.service.js';
import { toMe } from './principal.js';
import type { SessionService } from './sessions.js';
import type { TokenService } from './tokens.js';

export const REFRESH_COOKIE = 'support_chat_refresh';
const COOKIE_PATH = '/api/auth';

/** The cookie routes' body: `{}`. Requiring JSON is part of the cross-site guard (see above). */
const CookieRouteBody = z.object({}).describe('An empty JSON object, `{}`');

export async function authRoutes(
  app: FastifyInstance,
  options: {
    auth: AuthService;
    sessions: SessionService;
    tokens: TokenService;
    allowedOrigins: readonly string[];
    /** Throws 429 RATE_LIMITED past the per-address or per-address-and-e-mail budget. */
    checkLoginLimits: (ip: string, email: string) => Promise<void>;
  },
) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  const setRefreshCookie = (reply: FastifyReply, signedIn: SignedIn) => {
    if (!signedIn.refreshToken) return;
    reply.setCookie(REFRESH_COOKIE, signedIn.refreshToken, {
      path: COOKIE_PATH,
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      expires: signedIn.sessionExpiresAt,
    });
  };
  const clearRefreshCookie = (reply: FastifyReply) =>
    reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'strict' });

  /** Browsers send Origin on every POST; one that is not ours is a cross-site request. */
  const refuseForeignOrigin = async (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !options.allowedOrigins.includes(origin)) {
      throw errors.forbidden('Requests from this origin are not accepted.');
    }
  };

  /** The session a sign-out names: the refresh cookie's, else the bearer token's. */
  const sessionOfRequest = async (request: FastifyRequest): Promise<string | undefined> => {
    const fromCookie = options.sessions.parse(request.cookies[REFRESH_COOKIE]);
    if (fromCookie) return fromCookie.sessionId;
    const token = bearerToken(request.headers.authorization);
    return token ? (await options.tokens.verify(token).catch(() => undefined))?.sid : undefined;
  };

  routes.post('/login', {
    config: { public: true },
    preHandler: (request) => options.checkLoginLimits(request.ip, request.body.email),
    schema: {
      tags: ['auth'],
      summary: 'Sign in with e-mail and password; starts a session (refresh cookie)',
      body: LoginRequest,
      response: { 200: TokenResponse, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      const signedIn = await options.auth.login(request.body.email, request.body.password);
      setRefreshCookie(reply, signedIn);
      return signedIn.response;
    },
  });

  routes.post('/refresh', {
    config: { public: true },
    preHandler: refuseForeignOrigin,
    schema: {
      tags: ['auth'],
      summary: 'A new access token for the refresh cookie; the cookie is single-use and rotated',
      body: CookieRouteBody,
      response: { 200: TokenResponse, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
    handler: async (request, reply) => {
      try {
        const signedIn = await options.auth.refresh(request.cookies[REFRESH_COOKIE]);
        setRefreshCookie(reply, signedIn);
        return signedIn.response;
      } catch (error) {
        // A session that has ended takes its cookie along; a passing fault (database down) does not.
        if (error instanceof AppError && error.status === 401) clearRefreshCookie(reply);
        throw error;
      }
    },
  });

  routes.post('/logout', {
    config: { public: true },
    preHandler: refuseForeignOrigin,
    schema: {
      tags: ['auth'],
      summary: 'Sign out: ends this session (named by the refresh cookie or the bearer token)',
      body: CookieRouteBody,
      response: { 204: z.null(), 400: ErrorResponse, 403: ErrorResponse },
    },
    handler: async (request, reply) => {
      await options.auth.logout(await sessionOfRequest(request));
      clearRefreshCookie(reply);
      return reply.code(204).send(null);
    },
  });

  routes.post('/logout-all', {
    config: { public: true },
    preHandler: refuseForeignOrigin,
    schema: {
      tags: ['auth'],
      summary: 'Sign out everywhere: ends every session of the account',
      body: CookieRouteBody,
      response: { 204: z.null(), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
    handler: async (request, reply) => {
      const sessionId = await sessionOfRequest(request);
      if (!sessionId) throw errors.unauthenticated();
      await options.auth.logoutAll(sessionId);
      clearRefreshCookie(reply);
      return reply.code(204).send(null);
    },
  });

  routes.get('/me', {
    schema: {
      tags: ['auth'],
      summary: 'The signed-in account',
      security: [{ bearer: [] }],
      response: { 200: Me, 401: ErrorResponse },
    },
    handler: (request) => {
      if (!request.auth) throw errors.unauthenticated();
      return toMe(request.auth);
    },
  });
}
