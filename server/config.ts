// Every environment variable the server reads, parsed and validated in one place.
// Services never read process.env: they receive the parts of AppConfig they need.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

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
  STORAGE_DRIVER: z.enum(['local']).default('local'),
  STORAGE_DIR: z.string().optional(),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: booleanFromEnv.optional(),
  SOCKET_ADAPTER: z.enum(['none', 'postgres', 'redis']).default('none'),
  /** Messages one socket may send per 10 seconds. */
  SOCKET_SEND_LIMIT: z.coerce.number().int().min(1).default(20),
  REDIS_URL: z.string().url().optional(),
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
  dataDir: string;
  embeddedPgPort: number;
  auth: {
    jwtSecret: string;
    tokenTtlSeconds: number;
    sessionMaxAgeSeconds: number;
    loginRateLimitPerMinute: number;
  };
  documents: {
    urlSecret: string;
    signedUrlTtlSeconds: number;
    driver: 'local';
    storageDir: string;
  };
  logLevel: string;
  seedDemo: boolean;
  socket: {
    adapter: 'none' | 'postgres' | 'redis';
    redisUrl: string | undefined;
    sendLimitPer10Seconds: number;
  };
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
    : [publicUrl, `http://127.0.0.1:${e.PORT}`, 'http://localhost:5173'];
  if (e.SOCKET_ADAPTER === 'redis' && !e.REDIS_URL) {
    throw new ConfigError('SOCKET_ADAPTER=redis needs REDIS_URL');
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    allowedOrigins,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    auth: {
      jwtSecret: e.JWT_SECRET ?? (devSecrets as { jwtSecret: string }).jwtSecret,
      tokenTtlSeconds: e.JWT_TTL_SECONDS,
      sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS,
      loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    },
    documents: {
      urlSecret: e.DOCUMENT_URL_SECRET ?? (devSecrets as { documentUrlSecret: string }).documentUrlSecret,
      signedUrlTtlSeconds: e.SIGNED_URL_TTL_SECONDS,
      driver: e.STORAGE_DRIVER,
      storageDir: path.resolve(e.STORAGE_DIR ?? path.join(dataDir, 'storage')),
    },
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    socket: { adapter: e.SOCKET_ADAPTER, redisUrl: e.REDIS_URL, sendLimitPer10Seconds: e.SOCKET_SEND_LIMIT },
  };
}
