// Failover delivery: a message stored by one server process that died before publishing it still
// reaches every client. The sender retries on another process with the same clientMessageId and
// the retry publishes the stored message again; and every message carries a per-conversation
// sequence number, so a client that sees seq n + 2 after n knows what it missed and fetches it.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../common/realtime.js';
import type { MessageDto } from '../../common/support.js';
import { poolOf } from '../../server/db/client.js';
import { AuditAction } from '../../server/platform/audit/audit.service.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { createTextMessageWriter } from '../../server/support/text-message-write.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import {
  closeAllSockets,
  connectSupport,
  emitWithAck,
  nextEvent,
  type SupportClient,
  sleep,
} from '../helpers/sockets.js';

/**
 * What a client keeps of one conversation: every message by id, with the gap rule applied to
 * live events (seq greater than the last seen + 1: fetch what is missing with afterSeq).
 */
function followConversation(socket: SupportClient, conversationId: string) {
  const messages = new Map<string, MessageDto>();
  const live = new Set<string>();
  let lastSeq = 0;
  let events = 0;
  let gapFills = 0;
  let filling: Promise<void> = Promise.resolve();

  const keep = (message: MessageDto) => {
    messages.set(message.id, message);
    lastSeq = Math.max(lastSeq, message.seq);
  };
  const fill = (afterSeq: number) => {
    gapFills += 1;
    filling = filling.then(async () => {
      let after = afterSeq;
      for (;;) {
        const page = await emitWithAck(socket, ClientEvent.MESSAGES_SYNC, {
          conversationId,
          afterSeq: after,
          limit: 100,
        });
        expect(page.ok).toBe(true);
        const items = page.messages as MessageDto[];
        for (const message of items) keep(message);
        const last = items[items.length - 1];
        if (!page.hasMore || !last) return;
        after = last.seq;
      }
    });
  };
  socket.on(ServerEvent.MESSAGE_CREATED, ({ message }) => {
    if (message.conversationId !== conversationId) return;
    events += 1;
    live.add(message.id);
    if (message.seq > lastSeq + 1) fill(lastSeq);
    keep(message);
  });
  return {
    messages,
    live,
    stats: () => ({ events, gapFills }),
    settled: async () => {
      await filling;
    },
  };
}

describe('a message stored but never published (its process died after the commit)', () => {
  let t: TestApp;
  let driver: TestUser;
  let agent: TestAdmin;
  let conversationId: string;

  /** The service's own write path, without the publish that follows it: as if the process died. */
  const commitWithoutPublishing = async (body: string, clientMessageId: string) => {
    const messageId = randomUUID();
    const written = await createTextMessageWriter(poolOf(t.database.db))({
      messageId,
      conversationId,
      ownerUserId: driver.userId,
      senderType: 'user',
      senderAdminId: null,
      body,
      clientMessageId,
      audit: t.services.audit.prepare(
        AuditAction.SUPPORT_MESSAGE_SENT,
        { kind: 'user', userId: driver.userId, userType: 'driver' },
        { type: 'SupportMessage', id: messageId },
        { conversationId, messageId, senderType: 'user', messageType: 'text' },
      ),
    });
    expect(written).not.toBeNull();
    return messageId;
  };

  beforeAll(async () => {
    t = await startTestApp();
    driver = await createUser(t.database.db, t.services.tokens, 'driver');
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Failover Agent');
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
    conversationId = created.json.conversation.id;
  });
  afterEach(() => closeAllSockets());
  afterAll(() => t.close());

  it('is published when the client retries it, once in the database and in the unread count', async () => {
    const admin = await connectSupport(t.baseUrl, agent.token);
    const user = await connectSupport(t.baseUrl, driver.token);
    const clientMessageId = randomUUID();
    const storedId = await commitWithoutPublishing('stored, then the process died', clientMessageId);

    const published = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.id === storedId, 3000);
    const retry = await emitWithAck(user, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'stored, then the process died',
      clientMessageId,
    });
    expect(retry.ok).toBe(true);
    expect((retry.message as MessageDto).id).toBe(storedId);
    const event = await published;
    expect(event.conversation.unreadCount).toBe(1);

    // Over HTTP too (a retry of an HTTP send): 200 with the stored message, and published again.
    const again = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.id === storedId, 3000);
    const viaHttp = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: driver.token,
      body: { body: 'stored, then the process died', clientMessageId },
    });
    expect(viaHttp.status).toBe(200);
    await again;

    expect(await t.database.db.supportMessage.count({ where: { conversationId, clientMessageId } })).toBe(1);
    const stored = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(stored.unreadForAdmin).toBe(1);
  });

  it("a later message's seq reveals the gap, and afterSeq returns exactly what was missed", async () => {
    const admin = await connectSupport(t.baseUrl, agent.token);
    const user = await connectSupport(t.baseUrl, driver.token);
    const before = await t.database.db.supportMessage.findMany({ where: { conversationId }, orderBy: { seq: 'asc' } });
    const lastSeen = before[before.length - 1]?.seq ?? 0;

    const lostId = await commitWithoutPublishing('never published', randomUUID());
    const nextLive = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.conversationId === conversationId);
    const sent = await emitWithAck(user, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'published',
      clientMessageId: randomUUID(),
    });
    expect(sent.ok).toBe(true);
    const live = (await nextLive).message;
    expect(live.seq).toBe(lastSeen + 2);

    const sync = await emitWithAck(admin, ClientEvent.MESSAGES_SYNC, { conversationId, afterSeq: lastSeen });
    expect(sync.ok).toBe(true);
    expect((sync.messages as MessageDto[]).map((m) => [m.seq, m.id])).toEqual([
      [lastSeen + 1, lostId],
      [lastSeen + 2, live.id],
    ]);
    const history = await api(
      t.baseUrl,
      'GET',
      `/api/support/conversations/${conversationId}/messages?afterSeq=${lastSeen}`,
      { token: agent.token },
    );
    expect(history.json.items.map((m: MessageDto) => m.id)).toEqual([lostId, live.id]);
    const both = await api(
      t.baseUrl,
      'GET',
      `/api/support/conversations/${conversationId}/messages?afterSeq=1&before=${live.id}`,
      { token: agent.token },
    );
    expect(both.status).toBe(400);
  });

  it('seq counts 1, 2, 3, ... per conversation over every write path (first message, text, attachment)', async () => {
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: driver.token,
      body: { message: { body: 'first' } },
    });
    const id = created.json.conversation.id as string;
    expect(created.json.message.seq).toBe(1);
    const second = await api(t.baseUrl, 'POST', `/api/support/conversations/${id}/messages`, {
      token: agent.token,
      body: { body: 'second' },
    });
    expect(second.json.seq).toBe(2);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'a.pdf');
    const upload = await fetch(`${t.baseUrl}/api/support/conversations/${id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${driver.token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    expect(((await upload.json()) as MessageDto).seq).toBe(3);
    const stored = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id } });
    expect(stored.lastSeq).toBe(3);
  });
});

describe('two server processes: node A is killed mid-stream, the client retries on node B', () => {
  let database: TestDatabase;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let driver: TestUser;
  let agent: TestAdmin;

  beforeAll(async () => {
    database = await createTestDatabase();
    const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });
    driver = await createUser(database.db, tokens, 'driver');
    agent = await createAdmin(database.db, tokens, ['SUPPORT_CHAT'], 'Failover Agent');
    const shared = { DATABASE_URL: database.url, SOCKET_ADAPTER: 'postgres' };
    [nodeA, nodeB] = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
  }, 90_000);
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await database?.drop();
  });

  it('the admin on node B ends with exactly the messages in the database: none lost, none duplicated', async () => {
    const created = await api(nodeB.baseUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
    const conversationId = created.json.conversation.id as string;
    const admin = await connectSupport(nodeB.baseUrl, agent.token);
    const followed = followConversation(admin, conversationId);
    let adminDisconnected = false;
    admin.on('disconnect', () => {
      adminDisconnected = true;
    });

    // The user streams 60 messages through node A, up to 6 unacknowledged at a time. Once 20 are
    // acknowledged, node A is killed (SIGKILL: no goodbye, no flush) a moment later, while sends
    // are being written and published.
    const TOTAL = 60;
    const IN_FLIGHT = 6;
    const outbox = Array.from({ length: TOTAL }, (_, index) => ({ body: `m${index}`, clientMessageId: randomUUID() }));
    const acked = new Set<string>();
    let userOnA = await connectSupport(nodeA.baseUrl, driver.token);
    let next = 0;
    let killing: Promise<void> | undefined;
    let dead = false;
    const sendOnA = async () => {
      while (next < TOTAL && !dead) {
        const item = outbox[next++] as (typeof outbox)[number];
        const answer = await emitWithAck(userOnA, ClientEvent.MESSAGE_SEND, { conversationId, ...item }, 2000).catch(
          () => null,
        );
        if (answer?.ok) acked.add(item.clientMessageId);
        else dead = true;
        if (acked.size >= 20 && !killing) {
          killing = sleep(2).then(() => nodeA.kill('SIGKILL'));
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sendOnA));
    await killing;
    expect(killing).toBeDefined();

    // Usually one or two sends were committed on node A but never acknowledged (nor published).
    const unacked = outbox.filter((o) => !acked.has(o.clientMessageId)).map((o) => o.clientMessageId);
    const storedUnacked = await database.db.supportMessage.findMany({
      where: { conversationId, clientMessageId: { in: unacked } },
      select: { id: true },
    });
    // Reconnect to node B and retry every unacknowledged message, in order, with the same id.
    userOnA.disconnect();
    userOnA = await connectSupport(nodeB.baseUrl, driver.token);
    for (const item of outbox) {
      if (acked.has(item.clientMessageId)) continue;
      const answer = await emitWithAck(userOnA, ClientEvent.MESSAGE_SEND, { conversationId, ...item });
      expect(answer.ok).toBe(true);
      acked.add(item.clientMessageId);
    }

    const stored = await database.db.supportMessage.findMany({ where: { conversationId }, orderBy: { seq: 'asc' } });
    expect(stored).toHaveLength(TOTAL);
    expect(new Set(stored.map((m) => m.clientMessageId))).toEqual(new Set(outbox.map((o) => o.clientMessageId)));
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL }, (_, index) => index + 1));

    // Live events and gap fills settle; the admin never reconnected and holds exactly the stored set.
    for (let waited = 0; followed.messages.size < TOTAL && waited < 5000; waited += 50) await sleep(50);
    await followed.settled();
    expect(adminDisconnected).toBe(false);
    expect([...followed.messages.keys()].sort()).toEqual(stored.map((m) => m.id).sort());
    expect(followed.stats().events).toBeGreaterThanOrEqual(TOTAL - 20);
    // Those were published by their retry on node B: the admin got them live, not only by a gap fill.
    for (const { id } of storedUnacked) expect(followed.live.has(id)).toBe(true);
  }, 60_000);
});
