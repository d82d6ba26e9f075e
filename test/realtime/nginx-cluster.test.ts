// The deployment topology of replit.md "Deployment": nginx (deploy/nginx.conf, the shipped file,
// with only its ports changed) in front of two production-build server processes with the Redis
// adapter, a shared database and an S3 bucket (s3rver). Everything goes through the proxy: a user
// and an agent whose sockets landed on different nodes talk, type and share a file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../common/realtime.js';
import type { MessageDto } from '../../common/support.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makePdf, upload } from '../helpers/files.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { type Nginx, nginxBinary, startNginx } from '../helpers/nginx.js';
import { ReliableClient } from '../helpers/reliable-client.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { closeAllSockets, connectSupport, emitWithAck, nextEvent, sleep } from '../helpers/sockets.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const METRICS_TOKEN = 'nginx-test-metrics-token';

const nginx = nginxBinary();
if (!nginx) console.warn('nginx is not installed (apt-get install nginx, as .ci/run does): the proxy test is skipped');

async function socketCounts(node: ServerProcess) {
  const text = await fetch(`${node.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then(
    (response) => response.text(),
  );
  const count = (kind: string) =>
    Number(new RegExp(`support_sockets_connected\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1]);
  return { user: count('user'), admin: count('admin') };
}

describe.skipIf(!nginx)('two nodes behind nginx (deploy/nginx.conf)', () => {
  let database: TestDatabase;
  let s3: TestS3;
  let nodes: ServerProcess[] = [];
  let proxy: Nginx | undefined;
  let proxyUrl: string;
  let driver: TestUser;
  let agent: TestAdmin;
  let shared: Record<string, string>;
  const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });

  beforeAll(async () => {
    [database, s3] = await Promise.all([createTestDatabase(), startTestS3()]);
    driver = await createUser(database.db, tokens, 'driver');
    agent = await createAdmin(database.db, tokens, ['SUPPORT_CHAT'], 'Proxy Agent');
    shared = {
      DATABASE_URL: database.url,
      SOCKET_ADAPTER: 'redis',
      REDIS_URL,
      TRUST_PROXY: '127.0.0.1',
      METRICS_TOKEN,
      ...s3.env,
    };
    nodes = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);

    proxy = await startNginx(nodes.map((node) => Number(new URL(node.baseUrl).port)));
    proxyUrl = proxy.url;
  }, 90_000);

  afterAll(async () => {
    closeAllSockets();
    await proxy?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
    await database?.drop();
    await s3?.close();
  });

  it('a user and an agent on different nodes exchange messages, typing, presence and a file, all through the proxy', async () => {
    const user = await connectSupport(proxyUrl, driver.token);
    const admin = await connectSupport(proxyUrl, agent.token);
    // The proxy spread the two sockets over the two nodes (asked of each node directly).
    const [a, b] = await Promise.all(nodes.map(socketCounts));
    expect([a?.user, b?.user].sort()).toEqual([0, 1]);
    expect(a?.user).toBe(b?.admin);

    const created = await api(proxyUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
    expect(created.status).toBe(201);
    const conversationId: string = (created.json as { conversation: { id: string } }).conversation.id;

    // User -> agent across nodes.
    const atAgent = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.body === 'via nginx');
    const sent = await emitWithAck(user, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'via nginx',
      clientMessageId: 'nginx-message-1',
    });
    expect(sent, JSON.stringify(sent)).toMatchObject({ ok: true });
    expect((await atAgent).conversation.id).toBe(conversationId);

    // Typing, agent -> user across nodes.
    expect(await emitWithAck(admin, ClientEvent.CONVERSATION_JOIN, { conversationId })).toMatchObject({ ok: true });
    const typing = nextEvent(user, ServerEvent.TYPING, (e) => e.conversationId === conversationId);
    admin.emit(ClientEvent.TYPING_START, { conversationId });
    expect(await typing).toMatchObject({ conversationId, isTyping: true });

    // Presence: the agent goes away through the proxy (either node takes the request); the team
    // update reaches the agent's dashboard socket wherever it is.
    const away = nextEvent(admin, ServerEvent.TEAM_UPDATED, (team) =>
      team.agents.some((a) => a.adminId === agent.adminId && a.status === 'away'),
    );
    const availability = await api(proxyUrl, 'PUT', '/api/admin/support/me/availability', {
      token: agent.token,
      body: { availability: 'away' },
    });
    expect(availability.status).toBe(200);
    await away;

    // Agent -> user across nodes.
    const atUser = nextEvent(user, ServerEvent.MESSAGE_CREATED, (e) => e.message.body === 'answered via nginx');
    await emitWithAck(admin, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'answered via nginx',
      clientMessageId: 'nginx-message-2',
    });
    expect((await atUser).message.senderType).toBe('admin');

    // A file uploaded through the proxy downloads through it from both nodes (HTTP requests
    // alternate between the nodes, so of two downloads one is served by the other node).
    const fileAtAgent = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.messageType === 'file');
    const uploaded = await upload(proxyUrl, driver.token, conversationId, { data: makePdf(), name: 'receipt.pdf' });
    expect(uploaded.status).toBe(201);
    const message = (await fileAtAgent).message as MessageDto;
    const downloads = await Promise.all(
      [0, 1].map(() =>
        fetch(`${proxyUrl}${message.attachment?.downloadUrl}`).then(async (r) => [
          r.status,
          (await r.arrayBuffer()).byteLength,
        ]),
      ),
    );
    expect(downloads).toEqual([
      [200, makePdf().length],
      [200, makePdf().length],
    ]);
  });

  it('a rolling restart of both nodes under steady traffic loses, doubles and reorders nothing', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(database.db, tokens, 'customer')));
    const conversationIds: string[] = [];
    for (const user of users) {
      const created = await api(proxyUrl, 'POST', '/api/support/conversations', { token: user.token, body: {} });
      conversationIds.push((created.json as { conversation: { id: string } }).conversation.id);
    }
    const agentClient = new ReliableClient(proxyUrl, agent.token);
    const userClients = users.map((user) => new ReliableClient(proxyUrl, user.token));
    for (const id of conversationIds) agentClient.follow(id);
    userClients.forEach((client, i) => {
      client.follow(conversationIds[i] ?? '');
    });
    const clients = [agentClient, ...userClients];
    await Promise.all(clients.map((client) => client.connected()));

    // Each user sends every 100 ms while the nodes restart one after the other (SIGTERM: drain).
    let sending = true;
    const traffic = userClients.map(async (client, i) => {
      for (let n = 0; sending; n++) {
        await client.send(conversationIds[i] ?? '', `user ${i} message ${n}`);
        await sleep(100);
      }
    });
    for (const index of [0, 1]) {
      const node = nodes[index] as ServerProcess;
      await node.kill('SIGTERM');
      expect(node.exitCode(), node.output().slice(-3000)).toBe(0);
      nodes[index] = await startServerProcess(shared, { port: Number(new URL(node.baseUrl).port) });
    }
    await sleep(500);
    sending = false;
    await Promise.all(traffic);
    await Promise.all(clients.map((client) => client.catchUp()));

    const stored = await database.db.supportMessage.findMany({
      where: { conversationId: { in: conversationIds } },
      select: { id: true, conversationId: true, seq: true, clientMessageId: true },
    });
    const acknowledged = userClients.flatMap((client) => [...client.acknowledged.entries()]);
    // Every acknowledged message stored exactly once, and nothing stored that was not acknowledged.
    expect(stored.length).toBe(acknowledged.length);
    const storedByClientId = new Map(stored.map((row) => [row.clientMessageId, row.id]));
    for (const [clientMessageId, messageId] of acknowledged)
      expect(storedByClientId.get(clientMessageId)).toBe(messageId);
    // Every party holds every message of its conversations, numbered 1..n without a hole.
    conversationIds.forEach((conversationId, i) => {
      const rows = stored.filter((row) => row.conversationId === conversationId).sort((a, b) => a.seq - b.seq);
      expect(rows.map((row) => row.seq)).toEqual(rows.map((_, k) => k + 1));
      const expected = new Map(rows.map((row) => [row.seq, row.id]));
      expect(userClients[i]?.received.get(conversationId)).toEqual(expected);
      expect(agentClient.received.get(conversationId)).toEqual(expected);
    });
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(Math.max(...clients.map((client) => client.reconnects))).toBeGreaterThan(0);
    // Each client was back within seconds (through the proxy, on the node that was up).
    expect(Math.max(...clients.map((client) => client.longestOutageMs))).toBeLessThan(15_000);
    for (const client of clients) client.close();
  }, 60_000);
});
