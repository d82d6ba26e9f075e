// Several server processes deliver each other's socket events through an official Socket.IO
// adapter: PostgreSQL (LISTEN/NOTIFY, large payloads via socket_io_attachments) or Redis pub/sub.
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import pg from 'pg';
import type { Logger } from 'pino';
import { createClient } from 'redis';

export type ClusterAdapter = {
  // biome-ignore lint/suspicious/noExplicitAny: socket.io types adapters as a constructor of any namespace
  adapter: any;
  close(): Promise<void>;
};

export async function createClusterAdapter(options: {
  kind: 'postgres' | 'redis';
  databaseUrl: string;
  redisUrl: string | undefined;
  logger: Logger;
}): Promise<ClusterAdapter> {
  const errorHandler = (error: Error) => options.logger.error({ err: error }, 'socket adapter error');
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
    pool.on('error', errorHandler);
    return {
      adapter: createPostgresAdapter(pool, { errorHandler }),
      close: () => pool.end(),
    };
  }
  if (!options.redisUrl) throw new Error('SOCKET_ADAPTER=redis needs REDIS_URL');
  const pubClient = createClient({ url: options.redisUrl });
  const subClient = pubClient.duplicate();
  pubClient.on('error', errorHandler);
  subClient.on('error', errorHandler);
  await Promise.all([pubClient.connect(), subClient.connect()]);
  return {
    adapter: createRedisAdapter(pubClient, subClient),
    close: async () => {
      await Promise.allSettled([pubClient.quit(), subClient.quit()]);
    },
  };
}
