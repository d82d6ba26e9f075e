// Two server processes survive the loss of what connects them: the PostgreSQL adapter's LISTEN
// connections being terminated, a full PostgreSQL restart, and a Redis restart. After each, both
// processes are alive and a message sent on node A reaches a socket on node B again; the time
// that takes is measured and printed (replit.md, "Failure behaviour", quotes it).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../common/realtime.js';
import { createDb, type Db } from '../../server/db/client.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/private-postgres.js';
import { type PrivateRedis, startPrivateRedis } from '../helpers/private-redis.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { closeAllSockets, connectSupport, emitWithAck, type SupportClient, sleep } from '../helpers/sockets.js';

/** Sends from `from` until one message reaches `to`; returns the milliseconds that took. */
async function timeUntilDelivered(from: SupportClient, to: SupportClient, conversationId: string, limitMs = 30_000) {
  const started = Date.now();
  const arrived = new Set<string>();
  const onMessage = (event: { message: { clientMessageId: string | null } }) => {
    if (event.message.clientMessageId) arrived.add(event.message.clientMessageId);
  };
  to.on(ServerEvent.MESSAGE_CREATED, onMessage);
  try {
    while (Date.now() - started < limitMs) {
      const clientMessageId = randomUUID();
      await emitWithAck(from, ClientEvent.MESSAGE_SEND, { conversationId, body: 'ping', clientMessageId }, 3000).catch(
        () => undefined,
      );
      for (let waited = 0; waited < 1000; waited += 50) {
        if (arrived.size > 0) return Date.now() - started;
        await sleep(50);
      }
    }
  } finally {
    to.off(ServerEvent.MESSAGE_CREATED, onMessage);
  }
  throw new Error(`no message crossed from node A to node B within ${limitMs} ms`);
}

/** Polls GET /api/health/ready of every node until all say 200; returns the milliseconds that took. */
async function timeUntilReady(nodes: ServerProcess[], limitMs = 15_000) {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    const answers = await Promise.all(nodes.map((node) => api(node.baseUrl, 'GET', '/api/health/ready')));
    if (answers.every((answer) => answer.status === 200)) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`not ready within ${limitMs} ms`);
}

async function setUp(db: Db) {
  const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });
  const driver = await createUser(db, tokens, 'driver');
  const agent = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Faults Agent');
  return { driver, agent };
}

async function openConversation(nodeA: ServerProcess, nodeB: ServerProcess, driver: TestUser, agent: TestAdmin) {
  const user = await connectSupport(nodeA.baseUrl, driver.token);
  const admin = await connectSupport(nodeB.baseUrl, agent.token);
  const created = await api(nodeA.baseUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
  expect(created.status).toBe(201);
  return { user, admin, conversationId: created.json.conversation.id as string };
}

describe('two server processes with SOCKET_ADAPTER=postgres on a PostgreSQL that fails', () => {
  let postgres: PrivatePostgres;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let user: SupportClient;
  let admin: SupportClient;
  let conversationId: string;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    const db = createDb(postgres.url, { maxConnections: 2 });
    const { driver, agent } = await setUp(db);
    await db.$disconnect();
    const env = { DATABASE_URL: postgres.url, SOCKET_ADAPTER: 'postgres', DATABASE_CONNECT_TIMEOUT_MS: '2000' };
    // A crashed process is back when its supervisor has started it again: this long.
    const starting = Date.now();
    [nodeA, nodeB] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    console.log(`[faults] two server processes started (to listening) in ${Date.now() - starting} ms`);
    ({ user, admin, conversationId } = await openConversation(nodeA, nodeB, driver, agent));
    expect(await timeUntilDelivered(user, admin, conversationId)).toBeLessThan(2000);
  }, 90_000);
  afterAll(async () => {
    closeAllSockets();
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await postgres?.destroy();
  });

  it('survives the termination of every backend (LISTEN, adapter and request pools) and delivers again', async () => {
    // Each process holds two LISTEN connections (the socket adapter's and the account changes'),
    // besides its pooled ones.
    expect(await postgres.terminateBackends('LISTEN%')).toBe(4);
    expect(await postgres.terminateBackends('%')).toBeGreaterThanOrEqual(2);
    const recoveryMs = await timeUntilDelivered(user, admin, conversationId);
    console.log(`[faults] every backend terminated: cross-node delivery again after ${recoveryMs} ms`);
    expect(nodeA.alive() && nodeB.alive()).toBe(true);
    expect(user.connected && admin.connected).toBe(true);
    // Logged without the connection's settings or the backend's secret key.
    for (const node of [nodeA, nodeB]) {
      expect(node.output()).not.toMatch(/secretKey|connectionParameters|password/i);
    }
  }, 60_000);

  it('survives a PostgreSQL restart (every connection ends) and delivers across nodes again', async () => {
    await postgres.stopServer();
    await sleep(1000);
    expect(nodeA.alive() && nodeB.alive()).toBe(true);
    await postgres.startServer();
    const recoveryMs = await timeUntilDelivered(user, admin, conversationId);
    console.log(`[faults] PostgreSQL restarted: cross-node delivery again after ${recoveryMs} ms`);
    expect(nodeA.alive() && nodeB.alive()).toBe(true);
    expect(await timeUntilReady([nodeA, nodeB])).toBeLessThan(5000);
    expect(user.connected && admin.connected).toBe(true);
    // One line per incident and process, not one per failed connection.
    const lost = nodeA
      .output()
      .split('\n')
      .filter((line) => line.includes('database unavailable'));
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(lost.length).toBeLessThanOrEqual(3);
  }, 60_000);
});

describe('two server processes with SOCKET_ADAPTER=redis on a Redis that restarts', () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      SOCKET_ADAPTER: 'redis',
      REDIS_URL: redis.url,
    };
    [nodeA, nodeB] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 90_000);
  afterAll(async () => {
    closeAllSockets();
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await redis?.stop();
    await database?.drop();
  });

  it('survives a Redis restart and delivers across nodes again', async () => {
    const { driver, agent } = await setUp(database.db);
    const { user, admin, conversationId } = await openConversation(nodeA, nodeB, driver, agent);
    expect(await timeUntilDelivered(user, admin, conversationId)).toBeLessThan(2000);

    // Messages keep flowing while Redis goes away, so that broadcasts are in flight when its
    // connections close: a node must log that, not crash on it.
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        user.emit(
          ClientEvent.MESSAGE_SEND,
          { conversationId, body: 'in flight', clientMessageId: randomUUID() },
          () => {},
        );
        await sleep(5);
      }
    })();
    await sleep(200);
    await redis.stop();
    await sleep(1000);
    flowing = false;
    await flow;
    expect([nodeA.alive(), nodeB.alive()]).toEqual([true, true]);
    await redis.start();
    // On a failure, the nodes' own words about Redis say why (a rare timeout under heavy load).
    const recoveryMs = await timeUntilDelivered(user, admin, conversationId).catch((error: Error) => {
      const tail = (node: ServerProcess) => node.output().split('\n').slice(-15).join('\n');
      throw new Error(`${error.message}\nnode A:\n${tail(nodeA)}\nnode B:\n${tail(nodeB)}`);
    });
    console.log(`[faults] Redis restarted: cross-node delivery again after ${recoveryMs} ms`);
    expect(nodeA.alive() && nodeB.alive()).toBe(true);
    // Ready again once both of each process's Redis connections are back.
    const readyMs = await timeUntilReady([nodeA, nodeB]);
    console.log(`[faults] Redis restarted: both processes ready again after ${recoveryMs + readyMs} ms`);
  }, 60_000);
});
