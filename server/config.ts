// Every environment variable the server reads, parsed and validated in one place.
// Services never read process.env: they receive the parts of AppConfig they need.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  type NotificationConfig,
  NotificationConfigError,
  notificationConfig,
} from './notifications/notification-config.js';
import type { S3StorageOptions } from './platform/documents/s3-storage.js';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public origin of the web app, used in the start-up banner and as the default allowed origin. */
  PUBLIC_URL: z.string().url().optional(),
  /** Comma-separated origins allowed for browsers (HTTP CORS and the Socket.IO handshake). */
  ALLOWED_ORIGINS: z.string().optional(),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Longest wait for a database connection; then the request fails with DATABASE_UNAVAILABLE. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  /** Longest a statement may run (0: no limit); then it fails with DATABASE_UNAVAILABLE. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  JWT_SECRET: z.string().min(32).optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** A session (its refresh cookie and access tokens) lasts at most this long after sign-in. */
  SESSION_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(12 * 3600),
  DOCUMENT_URL_SECRET: z.string().min(32).optional(),
  SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  STORAGE_DIR: z.string().optional(),
  /** STORAGE_DRIVER=s3: the bucket, its region, and for S3-compatible servers an endpoint. */
  S3_BUCKET: z.string().min(3).optional(),
  S3_REGION: z.string().min(1).optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: booleanFromEnv.default(false),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Login attempts per client address (any e-mail) per 10 minutes: stops password spraying. */
  LOGIN_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  /**
   * Proxies whose X-Forwarded-For is believed: comma-separated addresses, CIDRs or proxy-addr's
   * names ("10.0.0.0/8,127.0.0.1", "loopback"). Unset: nobody; the client address is the TCP peer.
   */
  TRUST_PROXY: z.string().trim().min(1).optional(),
  /** Serve the OpenAPI description and Swagger UI at /api/docs (default: on except in production). */
  API_DOCS: booleanFromEnv.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Turns on GET /metrics (Prometheus), for scrapers that send it as a bearer token. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** SIGTERM: readiness is false this long before connections are dropped (a load balancer's probe interval). */
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  /** SIGTERM: the process exits within this time whatever is still running. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** `pretty` (readable lines) or `json`; default: pretty in a development terminal, else JSON. */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  SEED_DEMO: booleanFromEnv.optional(),
  SOCKET_ADAPTER: z.enum(['none', 'postgres', 'redis']).default('none'),
  /** Messages one account may send per 10 seconds, over all its sockets and HTTP together. */
  MESSAGE_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Open sockets per account; a new one beyond it closes the account's oldest. */
  SOCKETS_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  /** Open conversations one user may have at a time. */
  OPEN_CONVERSATIONS_PER_USER: z.coerce.number().int().min(1).default(5),
  /** Conversations one user may open per hour. */
  CONVERSATIONS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  REDIS_URL: z.string().url().optional(),
  /** E-mail notifications: an SMTP URL (smtp:// or smtps://, credentials inside). Unset: no e-mail. */
  SMTP_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().min(3).default('Support Chat <no-reply@localhost>'),
  /** Web push: the VAPID key pair (base64url) and contact (mailto: or https:). Development generates them. */
  VAPID_PUBLIC_KEY: z.string().min(20).optional(),
  VAPID_PRIVATE_KEY: z.string().min(20).optional(),
  VAPID_SUBJECT: z.string().min(3).default('mailto:support@localhost'),
  /** "off" turns web push off (then production needs no VAPID keys). */
  WEB_PUSH: z.enum(['on', 'off']).default('on'),
  /** Comma-separated hosts push deliveries may go to ("*.example.com": any host under it). Unset: the browser push services. */
  PUSH_ENDPOINT_HOSTS: z.string().optional(),
  /** How often each server process looks for due notifications. */
  NOTIFICATION_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  /** Delivery attempts before a notification is marked failed. */
  NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** The first retry's delay; each further retry doubles it (with jitter). */
  NOTIFICATION_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
});

/** The names of every environment variable the server reads (the README documents each). */
export const ENVIRONMENT_VARIABLES = Object.keys(envSchema.shape);

export type AppConfig = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  allowedOrigins: string[];
  /** Unset: the server starts an embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  databaseConnectTimeoutMs: number;
  databaseStatementTimeoutMs: number;
  dataDir: string;
  embeddedPgPort: number;
  auth: {
    jwtSecret: string;
    tokenTtlSeconds: number;
    sessionMaxAgeSeconds: number;
    loginRateLimitPerMinute: number;
    loginRateLimitPerAddress: number;
  };
  /** Fastify's trustProxy: false (nobody) or the proxies' addresses / CIDRs. */
  trustProxy: false | string[];
  apiDocs: boolean;
  /** Per-account limits, shared by every server process (platform/limits). */
  limits: {
    messagesPer10Seconds: number;
    socketsPerAccount: number;
    openConversationsPerUser: number;
    conversationsPerHour: number;
  };
  documents: {
    urlSecret: string;
    signedUrlTtlSeconds: number;
    driver: 'local' | 's3';
    /** The local driver's folder (also what `npm run storage:migrate` copies from). */
    storageDir: string;
    /** The s3 driver's bucket (used when driver is s3). */
    s3: S3StorageOptions;
  };
  logLevel: string;
  logFormat: 'pretty' | 'json';
  shutdown: { drainDelayMs: number; timeoutMs: number };
  metricsToken: string | undefined;
  seedDemo: boolean;
  socket: {
    adapter: 'none' | 'postgres' | 'redis';
    redisUrl: string | undefined;
  };
  notifications: NotificationConfig;
};

export class ConfigError extends Error {}

/** Secrets that are not configured are generated once and kept in DATA_DIR (development only). */
function loadOrCreateDevSecrets(dataDir: string): { jwtSecret: string; documentUrlSecret: string } {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (fs.existsSync(file)) {
    const parsed = z
      .object({ jwtSecret: z.string().min(32), documentUrlSecret: z.string().min(32) })
      .safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  }
  const secrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    documentUrlSecret: randomBytes(48).toString('base64url'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/**
 * A list of proxy addresses or CIDRs. Never "everyone", and no hop count: Fastify cannot check
 * the immediate peer with one, so it ignores the header (any client could claim to be a hop).
 */
function parseTrustProxy(value: string | undefined): AppConfig['trustProxy'] {
  if (value === undefined) return false;
  if (value === 'true' || value === '*' || /^\d+$/.test(value)) {
    throw new ConfigError('TRUST_PROXY must list the proxies (addresses or CIDRs), not everyone or a hop count');
  }
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  if (e.NODE_ENV === 'production') {
    const missing = ['JWT_SECRET', 'DOCUMENT_URL_SECRET', 'DATABASE_URL', 'ALLOWED_ORIGINS'].filter(
      (name) => !env[name],
    );
    if (missing.length > 0) {
      throw new ConfigError(`Production needs these variables set: ${missing.join(', ')}`);
    }
  }
  const devSecrets = e.JWT_SECRET && e.DOCUMENT_URL_SECRET ? undefined : loadOrCreateDevSecrets(dataDir);
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  const allowedOrigins = e.ALLOWED_ORIGINS
    ? e.ALLOWED_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean)
    : [
        publicUrl,
        `http://127.0.0.1:${e.PORT}`,
        // The Vite dev server (npm run dev:web) exists only in development.
        ...(e.NODE_ENV === 'development' ? ['http://localhost:5173'] : []),
      ];
  if (e.STORAGE_DRIVER === 's3' && !e.S3_BUCKET) {
    throw new ConfigError('STORAGE_DRIVER=s3 needs S3_BUCKET');
  }
  if (e.SOCKET_ADAPTER === 'redis' && !e.REDIS_URL) {
    throw new ConfigError('SOCKET_ADAPTER=redis needs REDIS_URL');
  }
  let notifications: NotificationConfig;
  try {
    notifications = notificationConfig(e, dataDir, publicUrl);
  } catch (error) {
    throw error instanceof NotificationConfigError ? new ConfigError(error.message) : error;
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    allowedOrigins,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    dataDir,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    auth: {
      jwtSecret: e.JWT_SECRET ?? (devSecrets as { jwtSecret: string }).jwtSecret,
      tokenTtlSeconds: e.JWT_TTL_SECONDS,
      sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS,
      loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
      loginRateLimitPerAddress: e.LOGIN_RATE_LIMIT_PER_ADDRESS,
    },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    apiDocs: e.API_DOCS ?? e.NODE_ENV !== 'production',
    limits: {
      messagesPer10Seconds: e.MESSAGE_RATE_LIMIT,
      socketsPerAccount: e.SOCKETS_PER_ACCOUNT,
      openConversationsPerUser: e.OPEN_CONVERSATIONS_PER_USER,
      conversationsPerHour: e.CONVERSATIONS_PER_HOUR,
    },
    documents: {
      urlSecret: e.DOCUMENT_URL_SECRET ?? (devSecrets as { documentUrlSecret: string }).documentUrlSecret,
      signedUrlTtlSeconds: e.SIGNED_URL_TTL_SECONDS,
      driver: e.STORAGE_DRIVER,
      storageDir: path.resolve(e.STORAGE_DIR ?? path.join(dataDir, 'storage')),
      s3: {
        bucket: e.S3_BUCKET ?? '',
        region: e.S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
        endpoint: e.S3_ENDPOINT,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
      },
    },
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    shutdown: { drainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV !== 'production' && process.stdout.isTTY ? 'pretty' : 'json'),
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    socket: { adapter: e.SOCKET_ADAPTER, redisUrl: e.REDIS_URL },
    notifications,
  };
}
