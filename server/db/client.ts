// The database clients used by every service: Prisma for most work, and the `pg` pool beneath it
// for the few hot paths (sending a message) where Prisma's per-query overhead would dominate.
// Both share one connection pool. Prisma 7 talks to PostgreSQL through the `pg` driver adapter,
// so no native engine is needed at run time.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.js';

export type Db = PrismaClient;
export { Prisma } from './generated/client.js';

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(
  databaseUrl: string,
  options: { maxConnections?: number; logQueries?: (sql: string) => void } = {},
): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
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
