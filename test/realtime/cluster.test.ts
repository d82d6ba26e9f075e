// Two server processes on different ports, sharing one database, deliver each other's socket
// events through an official Socket.IO adapter (PostgreSQL LISTEN/NOTIFY, or Redis pub/sub), and
// share the per-account limits (counted in PostgreSQL or Redis).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../common/realtime.js';
import type { MessageDto } from '../../common/support.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { closeAllSockets, connectSupport, emitWithAck, nextEvent, recordEvents } from '../helpers/sockets.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each([
  ['postgres', {}],
  ['redis', { REDIS_URL }],
])('two server processes with SOCKET_ADAPTER=%s', (adapter, env) => {
  let database: TestDatabase;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let driver: TestUser;
  let agent: TestAdmin;
  const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });

  beforeAll(async () => {
    database = await createTestDatabase();
    driver = await createUser(database.db, tokens, 'driver');
    agent = await createAdmin(database.db, tokens, ['SUPPORT_CHAT'], 'Cluster Agent');
    const shared = {
      DATABASE_URL: database.url,
      SOCKET_ADAPTER: adapter,
      // Low, to show the per-account limits holding across the processes (the tests at the end).
      SOCKETS_PER_ACCOUNT: '2',
      MESSAGE_RATE_LIMIT: '4',
      ...env,
    };
    [nodeA, nodeB] = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
  }, 90_000);
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await database?.drop();
  });

  it('delivers events across processes in both directions', async () => {
    expect(nodeA.baseUrl).not.toBe(nodeB.baseUrl);
    const user = await connectSupport(nodeA.baseUrl, driver.token);
    const admin = await connectSupport(nodeB.baseUrl, agent.token);

    // Created over HTTP on B: the user's socket on A hears it and joins the conversation's room.
    const createdAtUser = nextEvent(user, ServerEvent.CONVERSATION_CREATED);
    const created = await api(nodeB.baseUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
    const conversationId = created.json.conversation.id as string;
    expect((await createdAtUser).conversation.id).toBe(conversationId);

    // User on A -> admin on B.
    const atAdmin = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.conversationId === conversationId);
    const sent = await emitWithAck(user, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'from A',
      clientMessageId: randomUUID(),
    });
    expect(sent.ok).toBe(true);
    expect((await atAdmin).message.id).toBe((sent.message as MessageDto).id);

    // Admin on B -> user on A: message, typing and read receipt.
    const atUser = nextEvent(user, ServerEvent.MESSAGE_CREATED, (e) => e.message.senderType === 'admin');
    const typing = nextEvent(user, ServerEvent.TYPING);
    const receipt = nextEvent(user, ServerEvent.MESSAGES_READ);
    await emitWithAck(admin, ClientEvent.TYPING_START, { conversationId });
    await emitWithAck(admin, ClientEvent.MESSAGE_READ, { messageId: (sent.message as MessageDto).id });
    const reply = await emitWithAck(admin, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'from B',
      clientMessageId: randomUUID(),
    });
    expect((await typing).senderType).toBe('admin');
    expect((await receipt).markedCount).toBe(1);
    expect((await atUser).message.id).toBe((reply.message as MessageDto).id);
  });

  it('delivers a note to admins and a mention to its agent on the other process, never to the user', async () => {
    const user = await createUser(database.db, tokens, 'driver');
    const writer = await createAdmin(database.db, tokens, ['SUPPORT_CHAT'], 'Cluster Writer');
    const conversationId = (
      await api(nodeA.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: {} })
    ).json.conversation.id as string;
    const userSocket = await connectSupport(nodeA.baseUrl, user.token);
    const heardByUser = recordEvents(userSocket);
    const mentioned = await connectSupport(nodeB.baseUrl, agent.token);
    const noteAtB = nextEvent(mentioned, ServerEvent.NOTE_CREATED, (e) => e.note.conversationId === conversationId);
    const alertAtB = nextEvent(mentioned, ServerEvent.MENTION_CREATED, (e) => e.note.conversationId === conversationId);
    const note = await api(nodeA.baseUrl, 'POST', `/api/admin/support/conversations/${conversationId}/notes`, {
      token: writer.token,
      body: { body: 'internal only', mentionAdminIds: [agent.adminId] },
    });
    expect(note.status).toBe(201);
    expect((await noteAtB).note.id).toBe(note.json.id);
    expect((await alertAtB).note.id).toBe(note.json.id);
    // A reply after it reaches the user on A; the note never did.
    const replyAtUser = nextEvent(userSocket, ServerEvent.MESSAGE_CREATED);
    await api(nodeA.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: writer.token,
      body: { body: 'public reply' },
    });
    expect((await replyAtUser).message.seq).toBe(1);
    expect(JSON.stringify(heardByUser.events)).not.toContain('internal only');
  });

  it('spends one message budget over sockets on both processes', async () => {
    const user = await createUser(database.db, tokens, 'driver');
    const conversationId = (
      await api(nodeA.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: {} })
    ).json.conversation.id as string;
    const onA = await connectSupport(nodeA.baseUrl, user.token);
    const onB = await connectSupport(nodeB.baseUrl, user.token);
    const acks = [];
    for (const socket of [onA, onB, onA, onB, onA, onB]) {
      acks.push(
        await emitWithAck(socket, ClientEvent.MESSAGE_SEND, {
          conversationId,
          body: 'hi',
          clientMessageId: randomUUID(),
        }),
      );
    }
    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true, false, false]);
    expect(acks[4]?.error?.code).toBe('RATE_LIMITED');
  });

  it('counts sockets of an account on both processes and closes the oldest', async () => {
    const user = await createUser(database.db, tokens, 'customer');
    const oldest = await connectSupport(nodeA.baseUrl, user.token);
    // Counting asks the other process through the adapter: allow for a busy machine.
    const closed = nextEvent(oldest, ServerEvent.CONNECTION_CLOSED, undefined, 15_000);
    const second = await connectSupport(nodeB.baseUrl, user.token);
    const third = await connectSupport(nodeB.baseUrl, user.token);
    expect((await closed).reason).toBe('TOO_MANY_CONNECTIONS');
    await new Promise((resolve) => (oldest.connected ? oldest.once('disconnect', resolve) : resolve(undefined)));
    expect([oldest.connected, second.connected, third.connected]).toEqual([false, true, true]);
  });
});
