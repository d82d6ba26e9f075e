// Rate limits that hold per account (or per client address) across every socket, HTTP request
// and server process. The counters live where the processes already meet: Redis with
// SOCKET_ADAPTER=redis, PostgreSQL (table rate_limits) with SOCKET_ADAPTER=postgres, and the
// process's memory when it runs alone. Sockets and HTTP routes consume the same named budgets.
import pg from 'pg';
import type { Logger } from 'pino';
import {
  type IRateLimiterStoreOptions,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { ErrorCode } from '../../../common/errors.js';
import type { AppConfig } from '../../config.js';
import { AppError } from '../../errors.js';

export type RateLimit = { points: number; durationSeconds: number };

/** The named budgets. Keys: an account's user id, or a client address for the login limits. */
export type RateLimitName =
  | 'messages'
  | 'reads'
  | 'typing'
  | 'sync'
  | 'conversationsPerHour'
  | 'loginPerAddress'
  | 'loginPerAccount';

export type RateLimitSettings = Record<RateLimitName, RateLimit>;

/** 429 RATE_LIMITED; the HTTP error handler turns retryAfterSeconds into a Retry-After header. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code: ErrorCode = ErrorCode.RATE_LIMITED,
  ) {
    super(429, code, message, { retryAfterSeconds });
  }
}

const MESSAGES: Record<RateLimitName, string> = {
  messages: 'You are sending messages too fast.',
  reads: 'Too many read receipts.',
  typing: 'Too many typing events.',
  sync: 'Too many requests for conversations.',
  conversationsPerHour: 'You have opened too many conversations in the last hour.',
  loginPerAddress: 'Too many sign-in attempts from this address.',
  loginPerAccount: 'Too many sign-in attempts.',
};

export type RateLimits = {
  /** Takes one point of `name` for `key`; throws RateLimitedError when the budget is spent. */
  consume(name: RateLimitName, key: string): Promise<void>;
  close(): Promise<void>;
};

export type RateLimitBackend = 'memory' | 'postgres' | 'redis';

/** The shared table (its migration: 20261128051000_limits); every limit prefixes its keys. */
const POSTGRES_TABLE = 'rate_limits';

export async function createRateLimits(options: {
  backend: RateLimitBackend;
  settings: RateLimitSettings;
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
  logger: Logger;
}): Promise<RateLimits> {
  const { logger } = options;
  const onError = (error: Error) => logger.error({ err: error }, 'rate limit store error');
  type Base = { keyPrefix: string; points: number; duration: number };
  let createLimiter = (base: Base): RateLimiterAbstract => new RateLimiterMemory(base);
  let closeStore = async () => {};

  // If the shared store fails (database or Redis down), each limiter falls back to this process's
  // own counters (insuranceLimiter), so a limit never turns off.
  if (options.backend === 'postgres') {
    if (!options.databaseUrl) throw new Error('Shared rate limits on PostgreSQL need a database URL');
    // Its own small pool: a limit check never waits behind the application's queries.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 3, connectionTimeoutMillis: 5000 });
    pool.on('error', onError);
    createLimiter = (base) =>
      new RateLimiterPostgres({
        ...base,
        storeClient: pool,
        storeType: 'pool',
        tableName: POSTGRES_TABLE,
        tableCreated: true,
        insuranceLimiter: new RateLimiterMemory(base),
      });
    closeStore = () => pool.end();
  } else if (options.backend === 'redis') {
    if (!options.redisUrl) throw new Error('Shared rate limits on Redis need REDIS_URL');
    // Loaded only when used (see cluster-adapter.ts: a third of the start-up otherwise).
    const { createClient } = await import('redis');
    const client = createClient({ url: options.redisUrl });
    client.on('error', onError);
    await client.connect();
    createLimiter = (base) =>
      new RateLimiterRedis({
        ...base,
        storeClient: client,
        useRedisPackage: true,
        insuranceLimiter: new RateLimiterMemory(base),
      } as IRateLimiterStoreOptions);
    closeStore = async () => {
      await client.quit().catch(() => {});
    };
  }

  const limiters = new Map<RateLimitName, RateLimiterAbstract>(
    (Object.keys(options.settings) as RateLimitName[]).map((name) => {
      const { points, durationSeconds } = options.settings[name];
      return [name, createLimiter({ keyPrefix: `limit:${name}`, points, duration: durationSeconds })] as const;
    }),
  );

  return {
    async consume(name, key) {
      const limiter = limiters.get(name);
      if (!limiter) throw new Error(`Unknown rate limit ${name}`);
      try {
        await limiter.consume(key);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
          throw new RateLimitedError(`${MESSAGES[name]} Try again in ${retryAfterSeconds} s.`, retryAfterSeconds);
        }
        throw error;
      }
    },
    close: closeStore,
  };
}

/** The budgets, from the configuration; read, typing and sync are fixed (generous for people). */
export function rateLimitSettings(config: AppConfig): RateLimitSettings {
  return {
    messages: { points: config.limits.messagesPer10Seconds, durationSeconds: 10 },
    reads: { points: 60, durationSeconds: 10 },
    typing: { points: 20, durationSeconds: 10 },
    sync: { points: 30, durationSeconds: 10 },
    conversationsPerHour: { points: config.limits.conversationsPerHour, durationSeconds: 3600 },
    loginPerAddress: { points: config.auth.loginRateLimitPerAddress, durationSeconds: 600 },
    loginPerAccount: { points: config.auth.loginRateLimitPerMinute, durationSeconds: 60 },
  };
}

/**
 * One sign-in attempt: per client address (password spraying: many e-mails, one address) and
 * per address and e-mail (guessing one account's password, without locking out everyone
 * behind the same NAT).
 */
export async function consumeLoginAttempt(limits: RateLimits, ip: string, email: string): Promise<void> {
  await limits.consume('loginPerAddress', ip);
  await limits.consume('loginPerAccount', `${ip}:${email.trim().toLowerCase()}`);
}
