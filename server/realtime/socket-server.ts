// The Socket.IO server, attached to the same HTTP server as the API. It checks origins, then the
// support namespace authenticates every connection in the handshake with the API's JWT.
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { SUPPORT_NAMESPACE } from '../../common/realtime.js';
import type { AppConfig } from '../config.js';
import { createClusterAdapter } from './cluster-adapter.js';
import { coalesceFrameWrites } from './coalesced-writes.js';

/** Transport-level cap on one frame; larger ones close the connection. Events are checked lower. */
const MAX_FRAME_BYTES = 1024 * 1024;

export type SocketServer = {
  io: Server;
  /** The cluster adapter's own connection (LISTEN or Redis), for the readiness probe. */
  adapterDependency?: { name: string; check(): Promise<void> } | undefined;
  close(): Promise<void>;
  /** Drops every connection of this process the way a network failure would: clients reconnect. */
  dropConnections(): void;
};

export function isAllowedOrigin(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  // Browsers always send Origin on WebSocket upgrades and cross-origin requests; clients that
  // are not browsers send none and are held to the token check alone.
  return origin === undefined || allowedOrigins.includes(origin);
}

export async function createSocketServer(deps: {
  httpServer: HttpServer;
  config: AppConfig;
  databaseUrl: string;
  logger: Logger;
  /** True while the process drains before stopping: new connections are refused. */
  isDraining: () => boolean;
}): Promise<SocketServer> {
  const { config, logger } = deps;
  const cluster =
    config.socket.adapter === 'none'
      ? undefined
      : await createClusterAdapter({
          kind: config.socket.adapter,
          databaseUrl: deps.databaseUrl,
          database: {
            connectTimeoutMs: config.databaseConnectTimeoutMs,
            statementTimeoutMs: config.databaseStatementTimeoutMs,
          },
          redisUrl: config.socket.redisUrl,
          logger,
        });

  const io = new Server(deps.httpServer, {
    maxHttpBufferSize: MAX_FRAME_BYTES,
    // WebSocket only, like the web app's client: several nodes behind a load balancer then need no
    // sticky sessions (a long-polling session lives on the node that started it).
    transports: ['websocket'],
    cors: { origin: config.allowedOrigins, credentials: false },
    allowRequest: (request, callback) => {
      if (deps.isDraining()) return callback('Server is restarting', false);
      const allowed = isAllowedOrigin(request.headers.origin, config.allowedOrigins);
      if (!allowed) logger.warn({ origin: request.headers.origin }, 'socket origin refused');
      callback(allowed ? null : 'Origin not allowed', allowed);
    },
    ...(cluster ? { adapter: cluster.adapter } : {}),
  });

  coalesceFrameWrites(io);

  // Nothing lives in the default namespace: refuse it so that no socket sits there unauthenticated.
  io.of('/').use((_socket, next) => next(new Error(`Connect to the ${SUPPORT_NAMESPACE} namespace.`)));

  return {
    io,
    adapterDependency: cluster?.dependency,
    dropConnections() {
      for (const socket of io.of(SUPPORT_NAMESPACE).sockets.values()) socket.conn.close();
    },
    async close() {
      // What io.close() does, except closing the HTTP server, which is Fastify's to close. Only this
      // process's sockets are disconnected: the other server processes go on serving theirs.
      const namespaces = ['/', SUPPORT_NAMESPACE].map((name) => io.of(name));
      for (const nsp of namespaces) nsp.local.disconnectSockets(true);
      await Promise.allSettled(namespaces.map((nsp) => nsp.adapter.close()));
      io.engine.close();
      await cluster?.close();
    },
  };
}
