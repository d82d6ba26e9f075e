// Several server processes deliver each other's socket events through an official Socket.IO
// adapter: PostgreSQL (LISTEN/NOTIFY, large payloads via socket_io_attachments) or Redis pub/sub.
// Both survive their backend going away: the PostgreSQL adapter's LISTEN connection is supervised
// (postgres-adapter.ts), and node-redis reconnects and subscribes again by itself.
import type { Logger } from 'pino';
import { describeDatabaseError, isDatabaseUnavailable, reportDatabaseFault } from '../db/availability.js';
import { connectionConfig, createPool, type PoolOptions } from '../db/client.js';
import { createSupervisedPostgresAdapter } from './postgres-adapter.js';

export type ClusterAdapter = {
  // biome-ignore lint/suspicious/noExplicitAny: socket.io types adapters as a constructor of any namespace
  adapter: any;
  /** Readiness: what the adapter depends on, and a check that rejects when it is not available. */
  dependency?: { name: string; check(): Promise<void> };
  close(): Promise<void>;
};

export async function createClusterAdapter(options: {
  kind: 'postgres' | 'redis';
  databaseUrl: string;
  /** Connection and statement limits of the adapter's database connections. */
  database: Omit<PoolOptions, 'logger' | 'maxConnections'>;
  redisUrl: string | undefined;
  logger: Logger;
}): Promise<ClusterAdapter> {
  const { logger } = options;
  if (options.kind === 'postgres') {
    const pool = createPool(options.databaseUrl, 'socket adapter pool', {
      ...options.database,
      maxConnections: 4,
      logger,
    });
    const { adapter, isListening } = createSupervisedPostgresAdapter(
      pool,
      connectionConfig(options.databaseUrl, options.database),
      logger,
      {
        errorHandler: (error) => {
          if (isDatabaseUnavailable(error)) reportDatabaseFault(logger, 'socket adapter', error);
          else logger.error({ dbError: describeDatabaseError(error) }, 'socket adapter error');
        },
      },
    );
    return {
      adapter,
      // Without its LISTEN connection this process misses the other processes' events.
      dependency: {
        name: 'databaseListen',
        check: async () => {
          if (!isListening()) throw new Error('not listening');
        },
      },
      close: () => pool.end(),
    };
  }
  if (!options.redisUrl) throw new Error('SOCKET_ADAPTER=redis needs REDIS_URL');
  // Loaded only here: the Redis client is a third of a server's start-up (0.4-0.7 s on the 2-core
  // VM), and a process without SOCKET_ADAPTER=redis never needs it.
  const [{ createClient }, { createAdapter: createRedisAdapter }] = await Promise.all([
    import('redis'),
    import('@socket.io/redis-adapter'),
  ]);
  const pubClient = createClient({ url: options.redisUrl });
  const subClient = pubClient.duplicate();
  // node-redis reconnects by itself; log a lost connection once, not once per retry.
  let redisDown = false;
  const onError = (error: Error) => {
    if (redisDown) return;
    redisDown = true;
    logger.warn({ redisError: { message: error.message } }, 'redis unavailable');
  };
  const onReady = () => {
    if (!redisDown || !pubClient.isReady || !subClient.isReady) return;
    redisDown = false;
    logger.warn('redis available again');
  };
  for (const client of [pubClient, subClient]) client.on('error', onError).on('ready', onReady);
  // The adapter publishes without awaiting: a PUBLISH in flight when Redis goes away rejects, and
  // an unhandled rejection would end the process. Its broadcast is lost either way (the clients
  // catch up by sequence number); log the outage instead of crashing on it.
  const publish = pubClient.publish.bind(pubClient);
  (pubClient as { publish: typeof publish }).publish = (...args) => {
    const sent = publish(...args);
    sent.catch(onError);
    return sent;
  };
  await Promise.all([pubClient.connect(), subClient.connect()]);
  return {
    adapter: createRedisAdapter(pubClient, subClient),
    dependency: {
      name: 'redis',
      async check() {
        if (!pubClient.isReady || !subClient.isReady) throw new Error('not connected');
        await pubClient.ping();
      },
    },
    close: async () => {
      await Promise.allSettled([pubClient.quit(), subClient.quit()]);
    },
  };
}
