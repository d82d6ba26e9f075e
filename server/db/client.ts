// The database clients used by every service: Prisma for most work, and the `pg` pool beneath it
// for the few hot paths (sending a message) where Prisma's per-query overhead would dominate.
// Both share one connection pool. Prisma 7 talks to PostgreSQL through the `pg` driver adapter,
// so no native engine is needed at run time.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { type Logger, pino } from 'pino';
import { isDatabaseUnavailable, reportDatabaseAvailable, reportDatabaseFault } from './availability.js';
import { PrismaClient } from './generated/client.js';

export type Db = PrismaClient;
export { Prisma } from './generated/client.js';

/** Defaults of DATABASE_CONNECT_TIMEOUT_MS and DATABASE_STATEMENT_TIMEOUT_MS (server/config.ts). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

export type PoolOptions = {
  maxConnections?: number;
  /** Longest wait for a connection (a new one, or a free one from a full pool). */
  connectTimeoutMs?: number;
  /** Longest a statement may run (enforced by PostgreSQL, and by the client if the server is stuck); 0: no limit. */
  statementTimeoutMs?: number;
  /** Where connection losses are reported (once per incident); silent when omitted. */
  logger?: Logger;
};

/**
 * The connection settings every pool and client of the server uses: bounded connection and
 * statement time, so that a frozen server cannot hang a request, and TCP keep-alive, so that a
 * connection whose peer vanished is noticed.
 */
export function connectionConfig(databaseUrl: string, options: PoolOptions = {}): pg.ClientConfig {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  return {
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(statementTimeoutMs > 0 && {
      // Enforced by PostgreSQL (57014)...
      statement_timeout: statementTimeoutMs,
      // ...and by the client, for a server too stuck to enforce anything (SIGSTOP, a dead network).
      query_timeout: statementTimeoutMs + 1000,
    }),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * A `pg` pool that survives the loss of any of its connections. pg-pool only listens for errors
 * on idle clients; a checked-out client (a running query, a transaction, a LISTEN) that loses its
 * connection emits 'error' with no listener, which ends the process. So every client gets a
 * listener for its whole life, and the incident is reported once.
 */
export function createPool(databaseUrl: string, source: string, options: PoolOptions = {}): pg.Pool {
  const logger = options.logger ?? pino({ enabled: false });
  const pool = new pg.Pool({ ...connectionConfig(databaseUrl, options), max: options.maxConnections ?? 10 });
  pool.on('error', (error) => reportDatabaseFault(logger, source, error));
  pool.on('connect', (client) => {
    client.on('error', (error) => reportDatabaseFault(logger, source, error));
    reportDatabaseAvailable(logger, source);
  });
  // A query that failed because the database is stuck or gone (its client is dropped by the pool).
  pool.on('release', (error) => {
    if (error && isDatabaseUnavailable(error)) reportDatabaseFault(logger, source, error);
  });
  return pool;
}

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(databaseUrl: string, options: PoolOptions & { logQueries?: (sql: string) => void } = {}): Db {
  const pool = createPool(databaseUrl, 'database pool', options);
  const db = new PrismaClient({
    // $disconnect() ends the pool too.
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    ...(options.logQueries ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {}),
  });
  if (options.logQueries) {
    const log = options.logQueries;
    (db as unknown as { $on(event: 'query', listener: (e: { query: string }) => void): void }).$on('query', (e) =>
      log(e.query),
    );
  }
  pools.set(db, pool);
  return db;
}

/** The `pg` pool beneath a client made by createDb (its connections are shared with Prisma). */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('This Prisma client was not made by createDb().');
  return pool;
}
