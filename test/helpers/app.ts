// A real server for a test file: its own database, the real Fastify app listening on an
// ephemeral port, and a log captured in memory (so tests can prove what never reaches it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import webpush from 'web-push';
import { type BuiltApp, buildApp } from '../../server/app.js';
import { type AppConfig, loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import type { RateLimitSettings } from '../../server/platform/limits/rate-limits.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export type TestApp = BuiltApp & {
  baseUrl: string;
  config: AppConfig;
  database: TestDatabase;
  /** Every log line written so far, as raw JSON text. */
  logText(): string;
  close(): Promise<void>;
};

export const TEST_SECRETS = {
  JWT_SECRET: 'test-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
  DOCUMENT_URL_SECRET: 'test-document-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
};

const vapidKeys = webpush.generateVAPIDKeys();
/** A VAPID pair for servers started as processes (production refuses to start without one). */
export const TEST_VAPID_KEYS = { VAPID_PUBLIC_KEY: vapidKeys.publicKey, VAPID_PRIVATE_KEY: vapidKeys.privateKey };

export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    rateLimits?: Partial<RateLimitSettings>;
    /** A database of the test's own (e.g. on a private PostgreSQL), given the app's logger. */
    database?: (logger: Logger) => TestDatabase;
  } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-test-'));
  let logText = '';
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logText += chunk.toString();
      callback();
    },
  });
  const logger = createLogger(env.LOG_LEVEL ?? 'info', sink);
  const database = options.database ? options.database(logger) : await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ...TEST_SECRETS,
    // Tests open many conversations and send many messages per account;
    // test/platform/limits.test.ts sets these low.
    MESSAGE_RATE_LIMIT: '1000',
    OPEN_CONVERSATIONS_PER_USER: '1000',
    CONVERSATIONS_PER_HOUR: '1000',
    ...env,
  });
  const built = await buildApp({
    config,
    db: database.db,
    databaseUrl: database.url,
    logger,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    ...built,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    database,
    logText: () => logText,
    async close() {
      await built.app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
