// buildApp: the Fastify instance with every plugin and module, wired to its dependencies.
// main.ts calls it for the real server; tests call it with their own database and config.
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { type ErrorBody, ErrorCode } from '../common/errors.js';
import type { AppConfig } from './config.js';
import { type Db, poolOf } from './db/client.js';
import { installErrorHandler } from './http/error-handler.js';
import { type DependencyCheck, healthRoutes } from './http/health.routes.js';
import { RequestLogController } from './logger.js';
import { createEmailChannel, createPushChannel } from './notifications/channels.js';
import { createNotificationSettings, type NotificationSettingsStore } from './notifications/notification-settings.js';
import { createNotificationWorker, type NotificationWorker } from './notifications/notification-worker.js';
import { adminNotificationRoutes, notificationRoutes, ratingRoutes } from './notifications/notifications.routes.js';
import { createNotificationsService, type NotificationsService } from './notifications/notifications.service.js';
import { createRatingsService, type RatingsService } from './notifications/ratings.service.js';
import { type AuditService, createAuditService } from './platform/audit/audit.service.js';
import { authPlugin } from './platform/auth/auth.plugin.js';
import { authRoutes } from './platform/auth/auth.routes.js';
import { type AuthService, createAuthService } from './platform/auth/auth.service.js';
import { createSessionService, type SessionService } from './platform/auth/sessions.js';
import { createTokenService, type TokenService } from './platform/auth/tokens.js';
import { documentsRoutes } from './platform/documents/documents.routes.js';
import { createDocumentsService, type DocumentsService } from './platform/documents/documents.service.js';
import { createS3Storage } from './platform/documents/s3-storage.js';
import { createLocalDiskStorage } from './platform/documents/storage.js';
import { createDrain } from './platform/lifecycle/drain.js';
import {
  consumeLoginAttempt,
  createRateLimits,
  type RateLimitSettings,
  type RateLimits,
  rateLimitSettings,
} from './platform/limits/rate-limits.js';
import { createMetrics } from './platform/metrics/metrics.js';
import { metricsRoutes } from './platform/metrics/metrics.routes.js';
import { ordersRoutes } from './platform/orders/orders.routes.js';
import { createOrdersService, type OrdersService } from './platform/orders/orders.service.js';
import { createProfilesService, type ProfilesService } from './platform/profiles/profiles.service.js';
import { settingsRoutes } from './platform/settings/settings.routes.js';
import { createSettingsService, type SettingsService } from './platform/settings/settings.service.js';
import { PROJECT_ROOT } from './project-root.js';
import { listenForAccountChanges } from './realtime/account-changes.js';
import { createSocketServer, type SocketServer } from './realtime/socket-server.js';
import { forwardSupportEvents } from './realtime/support-events-to-rooms.js';
import { createSupportHandlers } from './realtime/support-handlers.js';
import { createSupportNamespace, rooms } from './realtime/support-namespace.js';
import { alertsRoutes } from './support/alerts/alerts.routes.js';
import { type AlertsService, createAlertsService } from './support/alerts/alerts.service.js';
import { assignmentRoutes } from './support/assignment/assignment.routes.js';
import { type AssignmentService, createAssignmentService } from './support/assignment/assignment.service.js';
import { notesRoutes } from './support/notes/notes.routes.js';
import { createNotesService, type NotesService } from './support/notes/notes.service.js';
import { createOrderLinks, type OrderLinks } from './support/order-links.js';
import { adminOrderLinkRoutes, orderLinkRoutes } from './support/order-links.routes.js';
import { reportsRoutes } from './support/reports/reports.routes.js';
import { createReportsService, type ReportsService } from './support/reports/reports.service.js';
import { routingRoutes } from './support/routing/routing.routes.js';
import { createRoutingService, type RoutingService } from './support/routing/routing.service.js';
import { savedRepliesRoutes } from './support/saved-replies/saved-replies.routes.js';
import { createSavedRepliesService, type SavedRepliesService } from './support/saved-replies/saved-replies.service.js';
import { adminSupportRoutes, supportRoutes } from './support/support.routes.js';
import { createSupportService, type SupportService } from './support/support.service.js';
import { createSupportEvents, type SupportEvents } from './support/support-events.js';
import { workflowRoutes } from './support/workflow/workflow.routes.js';
import { createWorkflowService, type WorkflowService } from './support/workflow/workflow.service.js';

export const WEB_DIST_DIR = path.join(PROJECT_ROOT, 'web/dist');

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
  routing: RoutingService;
  workflow: WorkflowService;
  assignment: AssignmentService;
  reports: ReportsService;
  notes: NotesService;
  alerts: AlertsService;
  savedReplies: SavedRepliesService;
  limits: RateLimits;
  orders: OrdersService;
  orderLinks: OrderLinks;
  notificationSettings: NotificationSettingsStore;
  ratings: RatingsService;
  notifications: NotificationsService;
};

export type BuiltApp = {
  app: FastifyInstance;
  services: AppServices;
  sockets: SocketServer & {
    /** Looks up the accounts behind open sockets again now (it also runs every minute). */
    recheckAccounts(): Promise<void>;
  };
  /** Delivers the notification outbox (runs in every process). */
  notificationWorker: NotificationWorker;
  /** Every HTTP route, as registered (the documentation test checks replit.md against it). */
  routes: { method: string; url: string }[];
  /**
   * A graceful stop (SIGTERM): readiness turns false and new sockets are refused, then after the
   * drain delay every connection is dropped (clients reconnect elsewhere), running socket events
   * finish, and the app closes (in-flight HTTP requests finish too).
   */
  drainAndClose(): Promise<void>;
};

export function createServices(deps: { config: AppConfig; db: Db; logger: Logger; limits: RateLimits }): AppServices {
  const { config, db, logger, limits } = deps;
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
    storage:
      config.documents.driver === 's3'
        ? createS3Storage(config.documents.s3)
        : createLocalDiskStorage(config.documents.storageDir),
    urlSecret: config.documents.urlSecret,
    ttlSeconds: config.documents.signedUrlTtlSeconds,
  });
  const profiles = createProfilesService({ db });
  const orders = createOrdersService({ db });
  const supportEvents = createSupportEvents(logger);
  const routing = createRoutingService({ db, audit, settings, events: supportEvents, logger });
  const support = createSupportService({
    db,
    audit,
    settings,
    documents,
    profiles,
    orders,
    events: supportEvents,
    logger,
    limits,
    routing,
    maxOpenConversationsPerUser: config.limits.openConversationsPerUser,
  });
  const workflow = createWorkflowService({ db, audit, events: supportEvents, routing, logger });
  const assignment = createAssignmentService({ db, audit, events: supportEvents, routing, logger });
  const reports = createReportsService({ db, routing });
  const notes = createNotesService({ db, audit, events: supportEvents });
  const alerts = createAlertsService({ db });
  const savedReplies = createSavedRepliesService({ db, audit });
  const orderLinks = createOrderLinks({ db, audit, orders, profiles, support, events: supportEvents });
  const notificationSettings = createNotificationSettings({ db, audit });
  const ratings = createRatingsService({ db, audit });
  const notifications = createNotificationsService({
    db,
    audit,
    ratings,
    emailAvailable: config.notifications.smtpUrl !== undefined,
    vapidPublicKey: config.notifications.vapid?.publicKey,
    pushEndpoints: config.notifications.pushEndpoints,
  });
  return {
    tokens,
    sessions,
    auth,
    audit,
    settings,
    documents,
    profiles,
    supportEvents,
    support,
    routing,
    workflow,
    assignment,
    reports,
    notes,
    alerts,
    savedReplies,
    limits,
    orders,
    orderLinks,
    notificationSettings,
    ratings,
    notifications,
  };
}

export async function buildApp(deps: {
  config: AppConfig;
  db: Db;
  /** The database's connection URL (the PostgreSQL socket adapter opens its own connections). */
  databaseUrl: string;
  logger: Logger;
  /** Rate limits to use instead of those from the config (tests lower them). */
  rateLimits?: Partial<RateLimitSettings>;
}): Promise<BuiltApp> {
  const { config, db, logger } = deps;
  // Shared by every process where the processes share a socket adapter; see platform/limits.
  const limits = await createRateLimits({
    backend: config.socket.adapter === 'none' ? 'memory' : config.socket.adapter,
    settings: { ...rateLimitSettings(config), ...deps.rateLimits },
    databaseUrl: deps.databaseUrl,
    redisUrl: config.socket.redisUrl,
    logger,
  });
  const services = createServices({ ...deps, limits });

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLogController(),
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY); else anyone could
    // pick their own address and escape the per-address limits.
    trustProxy: config.trustProxy,
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
  // API answers depend on the caller (contact details, conversations): no cache may keep them.
  // Signed file downloads set their own private Cache-Control; the public docs are the same for all.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs') && !reply.hasHeader('Cache-Control')) {
      reply.header('Cache-Control', 'no-store');
    }
  });

  if (config.apiDocs) await registerApiDocs(app);

  await app.register(fastifyCookie);
  await app.register(authPlugin, { db, tokens: services.tokens });

  // Readiness: the database, and what the socket adapter needs (known once the sockets exist).
  let sockets: SocketServer | undefined;
  const drain = createDrain();
  // Filled in once the support namespace exists (below); read at scrape time.
  let supportSockets: () => Iterable<{ data: { principal: { kind: 'user' | 'admin' } } }> = () => [];
  const metrics = createMetrics({
    pool: poolOf(db),
    socketCounts: () => {
      const counts = { user: 0, admin: 0 };
      for (const socket of supportSockets()) counts[socket.data.principal.kind] += 1;
      return counts;
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestHandled(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  services.supportEvents.on('messageCreated', ({ message, republished }) => {
    if (!republished) metrics.messageStored(message.senderType === 'user' ? 'user' : 'admin');
  });
  await app.register(metricsRoutes, { metrics, token: config.metricsToken });
  app.addHook('onClose', async () => metrics.stop());
  const dependencies = (): DependencyCheck[] => [
    {
      name: 'database',
      check: () =>
        poolOf(db)
          .query('SELECT 1')
          .then(() => {}),
    },
    ...(sockets?.adapterDependency ? [sockets.adapterDependency] : []),
    ...(config.documents.driver === 's3' ? [{ name: 'storage', check: () => services.documents.checkStorage() }] : []),
  ];

  await app.register(
    async (api) => {
      await api.register(healthRoutes, { dependencies, draining: () => drain.draining });
      await api.register(authRoutes, {
        prefix: '/auth',
        auth: services.auth,
        sessions: services.sessions,
        tokens: services.tokens,
        allowedOrigins: config.allowedOrigins,
        checkLoginLimits: (ip: string, email: string) => consumeLoginAttempt(limits, ip, email),
      });
      await api.register(settingsRoutes, { prefix: '/admin/settings', settings: services.settings });
      await api.register(documentsRoutes, { prefix: '/documents', documents: services.documents });
      await api.register(supportRoutes, { prefix: '/support', support: services.support, limits });
      await api.register(adminSupportRoutes, { prefix: '/admin/support', support: services.support });
      await api.register(ordersRoutes, { prefix: '/orders', orders: services.orders });
      await api.register(orderLinkRoutes, { prefix: '/support', orderLinks: services.orderLinks });
      await api.register(adminOrderLinkRoutes, { prefix: '/admin/support', orderLinks: services.orderLinks });
      await api.register(notificationRoutes, { prefix: '/notifications', notifications: services.notifications });
      await api.register(ratingRoutes, { prefix: '/support', ratings: services.ratings });
      await api.register(adminNotificationRoutes, {
        prefix: '/admin',
        notifications: services.notifications,
        settings: services.notificationSettings,
      });
      await api.register(routingRoutes, { prefix: '/admin/support', routing: services.routing });
      await api.register(reportsRoutes, { prefix: '/admin/support', reports: services.reports });
      await api.register(notesRoutes, { prefix: '/admin/support', notes: services.notes, limits });
      await api.register(alertsRoutes, { prefix: '/admin/support', alerts: services.alerts });
      await api.register(savedRepliesRoutes, { prefix: '/admin/support', savedReplies: services.savedReplies });
      await api.register(workflowRoutes, { prefix: '/admin/support', workflow: services.workflow });
      await api.register(assignmentRoutes, { prefix: '/admin/support', assignment: services.assignment });
    },
    { prefix: '/api' },
  );

  await registerWebApp(app);

  const socketServer = await createSocketServer({
    httpServer: app.server,
    config,
    databaseUrl: deps.databaseUrl,
    logger,
    isDraining: () => drain.draining,
  });
  sockets = socketServer;
  const registerSupportHandlers = createSupportHandlers({
    support: services.support,
    logger,
    limits,
    drain,
    observe: (event, seconds) => metrics.socketEventHandled(event, seconds),
  });
  const support = createSupportNamespace({
    io: socketServer.io,
    db,
    tokens: services.tokens,
    logger,
    socketsPerAccount: config.limits.socketsPerAccount,
    onConnection: (socket) => {
      registerSupportHandlers(socket);
      // Presence: an agent's support sockets, counted per process (routing/).
      const closed = services.routing.socketOpened(socket.data.principal);
      if (closed) socket.on('disconnect', closed);
    },
  });
  supportSockets = () => support.nsp.sockets.values();
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
  const notificationWorker = createNotificationWorker({
    pool: poolOf(db),
    logger,
    channels: [createEmailChannel(config.notifications), createPushChannel(config.notifications, poolOf(db))].filter(
      (channel) => channel !== null,
    ),
    settings: services.notificationSettings,
    publicUrl: config.notifications.publicUrl,
    // Across processes through the adapter: a socket anywhere means the user is in the app.
    isOnline: async (userId) => (await support.nsp.in(rooms.account(userId)).fetchSockets()).length > 0,
    options: config.notifications,
  });
  notificationWorker.start();
  // Before the HTTP server stops: open sockets would otherwise keep it from closing.
  await services.routing.start();
  app.addHook('preClose', async () => {
    await notificationWorker.stop();
    await services.routing.stop();
    support.stop();
    await accountChanges.close();
    await socketServer.close();
  });
  app.addHook('onClose', () => limits.close());
  return {
    app,
    services,
    sockets: { ...socketServer, recheckAccounts: support.recheckAccounts },
    notificationWorker,
    routes,
    async drainAndClose() {
      drain.start();
      logger.info({ delayMs: config.shutdown.drainDelayMs }, 'draining: readiness is false, new sockets refused');
      await new Promise((resolve) => setTimeout(resolve, config.shutdown.drainDelayMs));
      socketServer.dropConnections();
      const dropped = performance.now();
      await drain.idle();
      const idle = performance.now();
      await app.close();
      // How long each step took: what to look at if a stop nears SHUTDOWN_TIMEOUT_MS.
      logger.info({ runningWorkMs: idle - dropped, closeMs: performance.now() - idle }, 'drained');
    },
  };
}

/** The OpenAPI description and Swagger UI at /api/docs: public reading material, when enabled. */
async function registerApiDocs(app: FastifyInstance) {
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
