// The chaos soak (npm run soak; a short run in test/realtime/soak.test.ts): two production-build
// nodes behind nginx, a private PostgreSQL and a private Redis, steady traffic from users and agents
// whose clients reconnect, catch up and resend, and at intervals a fault: SIGKILL of a node, SIGTERM
// of a node, a Redis restart, a PostgreSQL restart. At the end it checks, from the database and from
// every client, that each acknowledged message is stored exactly once and held by every party of its
// conversation, numbered without a hole, and reports each fault's recovery time.
import { performance } from 'node:perf_hooks';
import { createDb } from '../../server/db/client.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { TEST_SECRETS } from './app.js';
import { api, createAdmin, createUser } from './fixtures.js';
import { startNginx } from './nginx.js';
import { startPrivatePostgres } from './private-postgres.js';
import { startPrivateRedis } from './private-redis.js';
import { ReliableClient } from './reliable-client.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

export type Fault = 'sigkill' | 'sigterm' | 'redis' | 'postgres';
export const FAULTS: readonly Fault[] = ['sigkill', 'sigterm', 'redis', 'postgres'];

export type SoakOptions = {
  seconds: number;
  users: number;
  agents: number;
  /** Messages per second over all users. */
  rate: number;
  /** The faults, one after the other at even intervals; a long run draws them at random. */
  faults: Fault[];
  log?: (line: string) => void;
};

export type SoakReport = {
  acknowledged: number;
  stored: number;
  /** Acknowledged but not stored, or stored twice: both must be 0. */
  lost: number;
  duplicated: number;
  /** (message, party) pairs a party does not hold, or holds out of place, after catch-up. */
  notDelivered: number;
  /** Conversations whose stored numbering has a hole. */
  outOfOrder: number;
  longestOutageMs: number;
  recoveries: { fault: Fault; recoveredMs: number }[];
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ready(baseUrl: string) {
  const answer = await fetch(`${baseUrl}/api/health/ready`).catch(() => null);
  return answer?.status === 200;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const postgres = await startPrivatePostgres();
  const redis = await startPrivateRedis();
  const db = createDb(postgres.url);
  const nodes: ServerProcess[] = [];
  let proxy: Awaited<ReturnType<typeof startNginx>> | undefined;
  const clients: ReliableClient[] = [];
  try {
    const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 3600 });
    const users = await Promise.all(Array.from({ length: options.users }, () => createUser(db, tokens, 'customer')));
    const agents = await Promise.all(
      Array.from({ length: options.agents }, (_, i) => createAdmin(db, tokens, ['SUPPORT_CHAT'], `Soak Agent ${i}`)),
    );
    const env = { DATABASE_URL: postgres.url, SOCKET_ADAPTER: 'redis', REDIS_URL: redis.url, TRUST_PROXY: '127.0.0.1' };
    nodes.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    const ports = nodes.map((node) => Number(new URL(node.baseUrl).port));
    proxy = await startNginx(ports);
    const conversationIds: string[] = [];
    for (const user of users) {
      const created = await api(proxy.url, 'POST', '/api/support/conversations', { token: user.token, body: {} });
      conversationIds.push((created.json as { conversation: { id: string } }).conversation.id);
    }
    const agentClients = agents.map((agent) => new ReliableClient(proxy?.url as string, agent.token));
    const userClients = users.map((user) => new ReliableClient(proxy?.url as string, user.token));
    clients.push(...agentClients, ...userClients);
    for (const client of agentClients) for (const id of conversationIds) client.follow(id);
    userClients.forEach((client, i) => {
      client.follow(conversationIds[i] as string);
    });
    await Promise.all(clients.map((client) => client.connected()));
    log(`${options.users} users, ${options.agents} agents, ${options.rate} msg/s for ${options.seconds} s`);

    // Traffic: each user sends at its share of the rate, until the end.
    let sending = true;
    const everyMs = (1000 * options.users) / options.rate;
    const traffic = userClients.map(async (client, i) => {
      await sleep(Math.random() * everyMs);
      for (let n = 0; sending; n++) {
        const started = performance.now();
        await client.send(conversationIds[i] as string, `soak ${i} ${n}`, 120_000);
        await sleep(Math.max(0, everyMs - (performance.now() - started)));
      }
    });

    // Faults at even intervals, each followed by the wait until both nodes are ready again.
    const recoveries: SoakReport['recoveries'] = [];
    const interval = (options.seconds * 1000) / (options.faults.length + 1);
    const started = performance.now();
    for (const fault of options.faults) {
      await sleep(Math.max(0, started + interval * (recoveries.length + 1) - performance.now()));
      const index = Math.floor(Math.random() * nodes.length);
      const at = performance.now();
      log(`fault: ${fault}${fault === 'sigkill' || fault === 'sigterm' ? ` node ${index}` : ''}`);
      if (fault === 'sigkill' || fault === 'sigterm') {
        const node = nodes[index] as ServerProcess;
        await node.kill(fault === 'sigkill' ? 'SIGKILL' : 'SIGTERM');
        nodes[index] = await startServerProcess(env, { port: ports[index] as number });
      } else if (fault === 'redis') {
        await redis.restart();
      } else {
        await postgres.restart();
      }
      while (!(await Promise.all(nodes.map((node) => ready(node.baseUrl)))).every(Boolean)) await sleep(100);
      recoveries.push({ fault, recoveredMs: performance.now() - at });
      log(`  recovered in ${Math.round(performance.now() - at)} ms`);
    }
    await sleep(Math.max(0, started + options.seconds * 1000 - performance.now()));
    sending = false;
    await Promise.all(traffic);
    await Promise.all(clients.map((client) => client.catchUp()));

    // The verdict, from the database and every client.
    const stored = await db.supportMessage.findMany({
      select: { id: true, conversationId: true, seq: true, clientMessageId: true },
    });
    const storedByClientId = new Map<string, number>();
    for (const row of stored) {
      if (row.clientMessageId)
        storedByClientId.set(row.clientMessageId, (storedByClientId.get(row.clientMessageId) ?? 0) + 1);
    }
    const acknowledged = userClients.flatMap((client) => [...client.acknowledged.keys()]);
    let notDelivered = 0;
    let outOfOrder = 0;
    conversationIds.forEach((conversationId, i) => {
      const rows = stored.filter((row) => row.conversationId === conversationId).sort((a, b) => a.seq - b.seq);
      if (rows.some((row, k) => row.seq !== k + 1)) outOfOrder++;
      for (const party of [userClients[i], ...agentClients]) {
        const held = party?.received.get(conversationId);
        for (const row of rows) if (held?.get(row.seq) !== row.id) notDelivered++;
      }
    });
    return {
      acknowledged: acknowledged.length,
      stored: stored.length,
      lost: acknowledged.filter((id) => !storedByClientId.has(id)).length,
      duplicated: [...storedByClientId.values()].filter((count) => count > 1).length,
      notDelivered,
      outOfOrder,
      longestOutageMs: Math.max(...clients.map((client) => client.longestOutageMs)),
      recoveries,
    };
  } finally {
    for (const client of clients) client.close();
    await proxy?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
    await db.$disconnect();
    await redis.stop();
    await postgres.destroy();
  }
}
