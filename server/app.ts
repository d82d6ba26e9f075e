// buildApp: the Fastify instance with every plugin and module, wired to its dependencies.
// main.ts calls it for the real server; tests call it with their own database and config.
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { type ErrorBody, ErrorCode } from '../common/errors.js';
import type { AppConfig } from './config.js';
import type { Db } from './db/client.js';
import { AppError } from './errors.js';
import { installErrorHandler } from './http/error-handler.js';
import { RequestLogController } from './logger.js';
import { type AuditService, createAuditService } from './platform/audit/audit.service.js';
import { authPlugin } from './platform/auth/auth.plugin.js';
import { authRoutes } from './platform/auth/auth.routes.js';
import { type AuthService, createAuthService } from './platform/auth/auth.service.js';
import { createSessionService, type SessionService } from './platform/auth/sessions.js';
import { createTokenService, type TokenService } from './platform/auth/tokens.js';
import { documentsRoutes } from './platform/documents/documents.routes.js';
import { createDocumentsService, type DocumentsService } from './platform/documents/documents.service.js';
import { createLocalDiskStorage } from './platform/documents/storage.js';
import { createProfilesService, type ProfilesService } from './platform/profiles/profiles.service.js';
import { settingsRoutes } from './platform/settings/settings.routes.js';
import { createSettingsService, type SettingsService } from './platform/settings/settings.service.js';
import { listenForAccountChanges } from './realtime/account-changes.js';
import { createSocketServer, type SocketServer } from './realtime/socket-server.js';
import { forwardSupportEvents } from './realtime/support-events-to-rooms.js';
import { createSupportHandlers, DEFAULT_SOCKET_LIMITS, type SupportSocketLimits } from './realtime/support-handlers.js';
import { createSupportNamespace } from './realtime/support-namespace.js';
import { adminSupportRoutes, supportRoutes } from './support/support.routes.js';
import { createSupportService, type SupportService } from './support/support.service.js';
import { createSupportEvents, type SupportEvents } from './support/support-events.js';

export const WEB_DIST_DIR = path.resolve(import.meta.dirname, '../web/dist');

/** The services of every module, built once per app. */
export type AppServices = {
  tokens: TokenService;
  sessions: SessionService;
  auth: AuthService;
  audit: AuditService;
  settings: SettingsService;
  documents: DocumentsService;
  profiles: ProfilesService;
  supportEvents: SupportEvents;
  support: SupportService;
};

export type BuiltApp = {
  app: FastifyInstance;
  services: AppServices;
  sockets: SocketServer & {
    /** Looks up the accounts behind open sockets again now (it also runs every minute). */
    recheckAccounts(): Promise<void>;
  };
  /** Every HTTP route, as registered (the documentation test checks replit.md against it). */
  routes: { method: string; url: string }[];
};

export function createServices(deps: { config: AppConfig; db: Db; logger: Logger }): AppServices {
  const { config, db, logger } = deps;
  const tokens = createTokenService({ secret: config.auth.jwtSecret, ttlSeconds: config.auth.tokenTtlSeconds });
  const sessions = createSessionService({
    db,
    secret: config.auth.jwtSecret,
    maxAgeSeconds: config.auth.sessionMaxAgeSeconds,
  });
  const auth = createAuthService({ db, tokens, sessions });
  const audit = createAuditService({ db, logger });
  const settings = createSettingsService({ db, audit, logger });
  const documents = createDocumentsService({
    storage: createLocalDiskStorage(config.documents.storageDir),
    urlSecret: config.documents.urlSecret,
    ttlSeconds: config.documents.signedUrlTtlSeconds,
  });
  const profiles = createProfilesService({ db });
  const supportEvents = createSupportEvents(logger);
  const support = createSupportService({ db, audit, settings, documents, profiles, events: supportEvents, logger });
  return { tokens, sessions, auth, audit, settings, documents, profiles, supportEvents, support };
}

export async function buildApp(deps: {
  config: AppConfig;
  db: Db;
  /** The database's connection URL (the PostgreSQL socket adapter opens its own connections). */
  databaseUrl: string;
  logger: Logger;
  /** Per-socket rate limits (tests lower them); defaults in realtime/support-handlers.ts. */
  socketLimits?: SupportSocketLimits;
}): Promise<BuiltApp> {
  const { config, db, logger } = deps;
  const services = createServices(deps);

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLogController(),
    trustProxy: config.env === 'production',
    // Generous: on a busy two-core machine (tests start many servers at once) loading can be slow.
    pluginTimeout: 60_000,
    // On shutdown, end every connection, also a download a client stopped reading.
    forceCloseConnections: true,
    bodyLimit: 256 * 1024,
  });
  const routes: BuiltApp['routes'] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'blob:', 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Signed document URLs open in a new tab; the SPA is served same-origin.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    // After body parsing, so that a route's key can include fields of the body (login e-mail).
    hook: 'preHandler',
    errorResponseBuilder: (_request, context) =>
      new AppError(429, ErrorCode.RATE_LIMITED, `Too many attempts. Try again in ${context.after}.`),
  });

  // The API description is public reading material.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) {
      route.config = { ...(route.config ?? {}), public: true };
    }
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Support Chat API',
        version: '1.0.0',
        description: 'HTTP API of the support chat. Real-time events: see replit.md, "WebSocket usage".',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list' },
  });

  await app.register(fastifyCookie);
  await app.register(authPlugin, { db, tokens: services.tokens });

  await app.register(
    async (api) => {
      api.get('/health', { config: { public: true }, schema: { hide: true } }, async () => ({ ok: true }));
      await api.register(authRoutes, {
        prefix: '/auth',
        auth: services.auth,
        sessions: services.sessions,
        tokens: services.tokens,
        allowedOrigins: config.allowedOrigins,
        loginRateLimitPerMinute: config.auth.loginRateLimitPerMinute,
      });
      await api.register(settingsRoutes, { prefix: '/admin/settings', settings: services.settings });
      await api.register(documentsRoutes, { prefix: '/documents', documents: services.documents });
      await api.register(supportRoutes, { prefix: '/support', support: services.support });
      await api.register(adminSupportRoutes, { prefix: '/admin/support', support: services.support });
    },
    { prefix: '/api' },
  );

  await registerWebApp(app);

  const sockets = await createSocketServer({ httpServer: app.server, config, databaseUrl: deps.databaseUrl, logger });
  const registerSupportHandlers = createSupportHandlers({
    support: services.support,
    logger,
    limits: deps.socketLimits ?? {
      ...DEFAULT_SOCKET_LIMITS,
      send: { points: config.socket.sendLimitPer10Seconds, durationSeconds: 10 },
    },
  });
  const support = createSupportNamespace({
    io: sockets.io,
    db,
    tokens: services.tokens,
    logger,
    onConnection: registerSupportHandlers,
  });
  forwardSupportEvents(support.nsp, services.supportEvents);
  // Ended sessions, disabled accounts and changed permissions reach open sockets within a second.
  const accountChanges = await listenForAccountChanges({
    databaseUrl: deps.databaseUrl,
    logger,
    onChange: support.onAccountChange,
    onConnected: () => {
      support.onAccountChange({ all: true });
    },
  });
  // Before the HTTP server stops: open sockets would otherwise keep it from closing.
  app.addHook('preClose', async () => {
    support.stop();
    await accountChanges.close();
    await sockets.close();
  });
  return { app, services, sockets: { ...sockets, recheckAccounts: support.recheckAccounts }, routes };
}

/** The SPA: static files from web/dist, and index.html for every client-side route. */
async function registerWebApp(app: FastifyInstance) {
  const hasBuild = fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: WEB_DIST_DIR, wildcard: false, index: false });
  }
  app.setNotFoundHandler({ preHandler: undefined }, (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (request.method !== 'GET' || pathname.startsWith('/api/') || pathname.startsWith('/socket.io')) {
      const body: ErrorBody = { error: { code: ErrorCode.NOT_FOUND, message: 'No such endpoint.' } };
      return reply.status(404).send(body);
    }
    if (!hasBuild) {
      return reply
        .type('text/plain')
        .send('The web app is not built. Run `npm run build` (npm start does it for you).');
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
