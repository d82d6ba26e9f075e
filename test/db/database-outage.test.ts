// The server during a database outage, on a PostgreSQL of this test's own: frozen (SIGSTOP: the
// connections stay open and nothing answers) and stopped. Requests fail fast with the retryable
// DATABASE_UNAVAILABLE (HTTP 503 with Retry-After, socket acks, refused handshakes), readiness
// says 503 while liveness says 200, the per-conversation queue does not pile up, the incident is
// logged once without connection secrets, and everything works again once the database is back.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../common/realtime.js';
import { createDb } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { api, createUser, type TestUser } from '../helpers/fixtures.js';
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/private-postgres.js';
import {
  type ConnectError,
  closeAllSockets,
  connectSupport,
  emitWithAck,
  type SupportClient,
} from '../helpers/sockets.js';

const CONNECT_TIMEOUT_MS = 1000;
const STATEMENT_TIMEOUT_MS = 1500;
/** Every answer during the outage must come within this (the observed bug: none within 4 s). */
const ANSWER_WITHIN_MS = 4000;

let postgres: PrivatePostgres;
let app: TestApp;
let driver: TestUser;
let socket: SupportClient;
let conversationId: string;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

const send = (client: SupportClient, timeoutMs = ANSWER_WITHIN_MS) =>
  emitWithAck(
    client,
    ClientEvent.MESSAGE_SEND,
    { conversationId, body: 'hello', clientMessageId: randomUUID() },
    timeoutMs,
  );

function expectRetryable(error: unknown) {
  expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
}

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  const env = {
    DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
  };
  app = await startTestApp(env, {
    database: (logger) => {
      const db = createDb(postgres.url, {
        maxConnections: 4,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        statementTimeoutMs: STATEMENT_TIMEOUT_MS,
        logger,
      });
      return { url: postgres.url, name: 'private', db, drop: () => db.$disconnect() };
    },
  });
  const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });
  driver = await createUser(app.database.db, tokens, 'driver');
  const created = await api(app.baseUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
  conversationId = created.json.conversation.id;
  socket = await connectSupport(app.baseUrl, driver.token);
  expect((await send(socket)).ok).toBe(true);
}, 60_000);

afterAll(async () => {
  closeAllSockets();
  postgres?.thaw();
  await app?.close();
  await postgres?.destroy();
});

describe('a frozen PostgreSQL (SIGSTOP)', () => {
  it('answers sends, HTTP calls, handshakes and readiness quickly with retryable errors', async () => {
    expect((await api(app.baseUrl, 'GET', '/api/health/ready')).status).toBe(200);
    postgres.freeze();
    try {
      const ack = await timed(() => send(socket));
      console.log(`[faults] PostgreSQL frozen: socket send answered after ${ack.ms} ms`);
      expect(ack.result.ok).toBe(false);
      expectRetryable(ack.result.error);

      const http = await timed(() => api(app.baseUrl, 'GET', '/api/support/conversations', { token: driver.token }));
      console.log(`[faults] PostgreSQL frozen: HTTP answered after ${http.ms} ms`);
      expect(http.ms).toBeLessThan(ANSWER_WITHIN_MS);
      expect(http.result.status).toBe(503);
      expectRetryable(http.result.json.error);
      expect(Number(http.result.headers.get('retry-after'))).toBeGreaterThan(0);

      // A new socket is refused as "try again", never as "your token is not valid".
      const refused = await connectSupport(app.baseUrl, driver.token).then(
        () => undefined,
        (error: ConnectError) => error,
      );
      expect(refused?.data).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });

      const ready = await timed(() => api(app.baseUrl, 'GET', '/api/health/ready'));
      expect(ready.ms).toBeLessThan(2000);
      expect(ready.result.status).toBe(503);
      expect(ready.result.json.checks.database).not.toBe('ok');
      expect((await api(app.baseUrl, 'GET', '/api/health/live')).status).toBe(200);

      // A burst on one conversation does not queue up behind the stuck statement.
      const burst = await timed(() => Promise.all(Array.from({ length: 20 }, () => send(socket, 8000))));
      console.log(`[faults] PostgreSQL frozen: 20 queued sends all answered after ${burst.ms} ms`);
      expect(burst.ms).toBeLessThan(ANSWER_WITHIN_MS + STATEMENT_TIMEOUT_MS);
      for (const answer of burst.result) expectRetryable(answer.error);
    } finally {
      postgres.thaw();
    }
    const recovered = await timed(async () => {
      for (;;) {
        const answer = await send(socket);
        if (answer.ok) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    console.log(`[faults] PostgreSQL thawed: sends succeed again after ${recovered.ms} ms`);
    expect((await api(app.baseUrl, 'GET', '/api/health/ready')).status).toBe(200);
  }, 60_000);
});

describe('a stopped PostgreSQL', () => {
  it('keeps the server up, answers 503 at once, logs the incident once and recovers after the restart', async () => {
    await postgres.stopServer();
    try {
      for (let i = 0; i < 3; i++) {
        const http = await timed(() => api(app.baseUrl, 'GET', '/api/support/conversations', { token: driver.token }));
        expect(http.result.status).toBe(503);
        expect(http.ms).toBeLessThan(CONNECT_TIMEOUT_MS + 500);
      }
      const ack = await send(socket);
      expectRetryable(ack.error);
    } finally {
      await postgres.startServer();
    }
    const recovered = await timed(async () => {
      for (;;) {
        const http = await api(app.baseUrl, 'GET', '/api/support/conversations', { token: driver.token });
        if (http.status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    console.log(`[faults] PostgreSQL restarted: HTTP succeeds again after ${recovered.ms} ms`);
    expect((await send(socket)).ok).toBe(true);

    const log = app.logText();
    expect(log).not.toMatch(/secretKey|connectionParameters|processID|password/i);
    const incidents = log.split('\n').filter((line) => line.includes('"database unavailable"'));
    // The frozen test and this one: one line each, however many requests failed (a pooled
    // connection left over from before the restart may fail once more just after it: a third).
    expect(incidents.length).toBeGreaterThanOrEqual(1);
    expect(incidents.length).toBeLessThanOrEqual(3);
    expect(log).toContain('database available again');
  }, 60_000);
});

describe('the log', () => {
  it('never carries the pg client that pg-pool attaches to connection errors', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    let text = '';
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _encoding, callback) {
          text += chunk.toString();
          callback();
        },
      }),
    );
    // What pg-pool emits for a connection that died while idle: the error, with `client` on it.
    logger.error({ err: Object.assign(new Error('terminating connection'), { code: '57P01', client }) }, 'lost');
    await client.end();
    expect(text).toContain('57P01');
    expect(text).not.toMatch(/secretKey|processID|connectionParameters/);
  });
});
