// WebSocket messaging (spec section 8): real server, real socket.io-client connections, real
// PostgreSQL. Delivery both ways, read receipts, typing, isolation, impersonation, catch-up.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../common/realtime.js';
import type { MessageDto } from '../../common/support.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import {
  closeAllSockets,
  connectSupport,
  emitWithAck,
  nextEvent,
  recordEvents,
  type SupportClient,
  sleep,
} from '../helpers/sockets.js';

/** How long a socket must stay silent to count as "received nothing". */
const SILENCE_MS = 600;

describe('support sockets', () => {
  let t: TestApp;
  let driver: TestUser;
  let otherDriver: TestUser;
  let customer: TestUser;
  let agent: TestAdmin;
  let viewer: TestAdmin;

  const newConversation = async (user: TestUser = driver) =>
    (
      await api(t.baseUrl, 'POST', '/api/support/conversations', {
        token: user.token,
        body: { subject: 'Socket test' },
      })
    ).json.conversation.id as string;
  const sendOverSocket = (
    socket: SupportClient,
    conversationId: string,
    body: string,
    clientMessageId = randomUUID(),
  ) => emitWithAck(socket, ClientEvent.MESSAGE_SEND, { conversationId, body, clientMessageId });

  beforeAll(async () => {
    t = await startTestApp(
      {},
      {
        rateLimits: {
          messages: { points: 40, durationSeconds: 10 },
          reads: { points: 40, durationSeconds: 10 },
          typing: { points: 5, durationSeconds: 10 },
          sync: { points: 40, durationSeconds: 10 },
        },
      },
    );
    driver = await createUser(t.database.db, t.services.tokens, 'driver');
    otherDriver = await createUser(t.database.db, t.services.tokens, 'driver');
    customer = await createUser(t.database.db, t.services.tokens, 'customer');
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Socket Agent');
    viewer = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE']);
  });
  afterEach(() => closeAllSockets());
  afterAll(() => t.close());

  it('user sends, admin receives; admin replies, user receives; the ack carries the stored message', async () => {
    const conversationId = await newConversation();
    const user = await connectSupport(t.baseUrl, driver.token);
    const admin = await connectSupport(t.baseUrl, agent.token);

    const atAdmin = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.conversationId === conversationId);
    const ack = await sendOverSocket(user, conversationId, 'Hello from the road');
    expect(ack).toMatchObject({ ok: true, message: { body: 'Hello from the road', senderType: 'user' } });
    const received = await atAdmin;
    expect(received.message).toEqual(ack.message);

    const atAdminAgain = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.senderType === 'admin');
    const atUser = nextEvent(user, ServerEvent.MESSAGE_CREATED, (e) => e.message.senderType === 'admin');
    const reply = await sendOverSocket(admin, conversationId, 'Hi! How can I help?');
    expect(reply).toMatchObject({ ok: true, message: { senderType: 'admin', senderName: 'Socket Agent' } });
    // Each side gets the conversation as it now stands, shaped for it: the admin sees the user and
    // their own unread count (1, the user's message), the user sees theirs (1, the reply).
    const forUser = await atUser;
    expect(forUser.message.id).toBe((reply.message as MessageDto).id);
    expect(forUser.conversation).toMatchObject({ id: conversationId, adminId: agent.adminId, unreadCount: 1 });
    expect(forUser.conversation.user).toBeUndefined();
    expect((await atAdminAgain).conversation).toMatchObject({
      adminId: agent.adminId,
      unreadCount: 1,
      user: { userId: driver.userId },
    });
  });

  it('the read watermark reaches the other side', async () => {
    const conversationId = await newConversation();
    const user = await connectSupport(t.baseUrl, driver.token);
    const admin = await connectSupport(t.baseUrl, agent.token);
    const first = (await sendOverSocket(user, conversationId, 'one')).message as MessageDto;
    const second = (await sendOverSocket(user, conversationId, 'two')).message as MessageDto;
    const receipt = nextEvent(user, ServerEvent.MESSAGES_READ, (e) => e.conversationId === conversationId);
    const adminReceipt = nextEvent(admin, ServerEvent.MESSAGES_READ, (e) => e.conversationId === conversationId);
    const ack = await emitWithAck(admin, ClientEvent.MESSAGE_READ, { messageId: second.id });
    expect(ack).toMatchObject({ ok: true, receipt: { markedCount: 2, unreadCount: 0, readerType: 'admin' } });
    const forUser = await receipt;
    expect(forUser).toMatchObject({ readerType: 'admin', upToMessageId: second.id, markedCount: 2 });
    expect(forUser.conversation.user).toBeUndefined();
    expect((await adminReceipt).conversation).toMatchObject({ unreadCount: 0, user: { userId: driver.userId } });
    const stored = await t.database.db.supportMessage.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored.read).toBe(true);
  });

  it('typing reaches the other side and not a third party', async () => {
    const conversationId = await newConversation();
    const user = await connectSupport(t.baseUrl, driver.token);
    const admin = await connectSupport(t.baseUrl, agent.token);
    const stranger = await connectSupport(t.baseUrl, otherDriver.token);
    const strangerEvents = recordEvents(stranger);

    const atAdmin = nextEvent(admin, ServerEvent.TYPING, (e) => e.conversationId === conversationId);
    expect(await emitWithAck(user, ClientEvent.TYPING_START, { conversationId })).toEqual({ ok: true });
    expect(await atAdmin).toEqual({ conversationId, senderType: 'user', name: null, isTyping: true });

    const atUser = nextEvent(user, ServerEvent.TYPING, (e) => e.senderType === 'admin');
    await emitWithAck(admin, ClientEvent.TYPING_STOP, { conversationId });
    expect(await atUser).toEqual({ conversationId, senderType: 'admin', name: 'Socket Agent', isTyping: false });
    await sleep(SILENCE_MS);
    expect(strangerEvents.events).toEqual([]);
  });

  it('other users and admins without SUPPORT_CHAT cannot join, send or listen', async () => {
    const conversationId = await newConversation();
    const owner = await connectSupport(t.baseUrl, driver.token);
    const outsiders = {
      sameType: await connectSupport(t.baseUrl, otherDriver.token),
      otherType: await connectSupport(t.baseUrl, customer.token),
      adminWithout: await connectSupport(t.baseUrl, viewer.token),
    };
    const heard = Object.fromEntries(Object.entries(outsiders).map(([name, socket]) => [name, recordEvents(socket)]));

    for (const [name, socket] of Object.entries(outsiders)) {
      const expected = name === 'adminWithout' ? 'FORBIDDEN' : 'NOT_FOUND';
      const join = await emitWithAck(socket, ClientEvent.CONVERSATION_JOIN, { conversationId });
      expect(join, name).toMatchObject({ ok: false, error: { code: expected } });
      const send = await sendOverSocket(socket, conversationId, 'let me in');
      expect(send, name).toMatchObject({ ok: false, error: { code: expected } });
      const typing = await emitWithAck(socket, ClientEvent.TYPING_START, { conversationId });
      expect(typing, name).toMatchObject({ ok: false });
      const sync = await emitWithAck(socket, ClientEvent.MESSAGES_SYNC, { conversationId });
      expect(sync, name).toMatchObject({ ok: false });
    }
    // Everything that can happen in the conversation happens, while the outsiders listen.
    const admin = await connectSupport(t.baseUrl, agent.token);
    const sent = (await sendOverSocket(owner, conversationId, 'private matter')).message as MessageDto;
    await sendOverSocket(admin, conversationId, 'private reply');
    await emitWithAck(admin, ClientEvent.MESSAGE_READ, { messageId: sent.id });
    await emitWithAck(owner, ClientEvent.TYPING_START, { conversationId });
    await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${conversationId}/resolve`, { token: agent.token });
    await sleep(SILENCE_MS);
    for (const [name, record] of Object.entries(heard)) expect(record.events, name).toEqual([]);
    expect(await t.database.db.supportMessage.count({ where: { conversationId } })).toBe(2);
  });

  it('a payload claiming another sender is ignored: the message is stored as the real sender', async () => {
    const conversationId = await newConversation();
    const user = await connectSupport(t.baseUrl, driver.token);
    const ack = await emitWithAck(user, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'I am definitely support',
      clientMessageId: randomUUID(),
      senderType: 'admin',
      senderAdminId: agent.adminId,
      userId: otherDriver.userId,
    });
    expect(ack).toMatchObject({ ok: true, message: { senderType: 'user', senderAdminId: null } });
    const row = await t.database.db.supportMessage.findUniqueOrThrow({ where: { id: (ack.message as MessageDto).id } });
    expect([row.senderType, row.senderAdminId]).toEqual(['user', null]);
    const unread = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(unread.unreadForAdmin).toBe(1);
  });

  it("a conversation created over HTTP reaches the user's open sockets and admins, and its messages follow", async () => {
    const user = await connectSupport(t.baseUrl, driver.token);
    const admin = await connectSupport(t.baseUrl, agent.token);
    const createdForUser = nextEvent(user, ServerEvent.CONVERSATION_CREATED);
    const createdForAdmin = nextEvent(admin, ServerEvent.CONVERSATION_CREATED);
    const conversationId = await newConversation();
    expect((await createdForUser).conversation).toMatchObject({ id: conversationId, unreadCount: 0 });
    expect((await createdForUser).conversation.user).toBeUndefined();
    expect((await createdForAdmin).conversation).toMatchObject({ id: conversationId, user: { userId: driver.userId } });
    // Sent over HTTP by the admin: the same event as over the socket reaches the user's socket.
    const atUser = nextEvent(user, ServerEvent.MESSAGE_CREATED, (e) => e.message.conversationId === conversationId);
    const reply = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: agent.token,
      body: { body: 'Welcome!' },
    });
    expect((await atUser).message).toEqual(reply.json);
    // One event per message per socket: no separate conversation:updated follows it.
    const heard = recordEvents(user);
    await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: agent.token,
      body: { body: 'Anything else?' },
    });
    await sleep(300);
    expect(heard.events.map((e) => e.event)).toEqual([ServerEvent.MESSAGE_CREATED]);
  });

  it('reconnect catch-up loses nothing', async () => {
    const conversationId = await newConversation();
    let user = await connectSupport(t.baseUrl, driver.token);
    const admin = await connectSupport(t.baseUrl, agent.token);
    const lastSeen = (await sendOverSocket(user, conversationId, 'before going offline')).message as MessageDto;
    user.disconnect();
    const missed: string[] = [];
    for (let i = 0; i < 4; i++)
      missed.push(((await sendOverSocket(admin, conversationId, `while offline ${i}`)).message as MessageDto).id);
    user = await connectSupport(t.baseUrl, driver.token);
    const sync = await emitWithAck(user, ClientEvent.MESSAGES_SYNC, { conversationId, afterMessageId: lastSeen.id });
    expect(sync.ok).toBe(true);
    expect((sync.messages as MessageDto[]).map((m) => m.id)).toEqual(missed);
    expect(sync.hasMore).toBe(false);
    const latest = await emitWithAck(user, ClientEvent.MESSAGES_SYNC, { conversationId, limit: 2 });
    expect((latest.messages as MessageDto[]).map((m) => m.id)).toEqual(missed.slice(2));
    expect(latest.hasMore).toBe(true);
  });

  it('a retried send with the same client id is stored once; every copy broadcast is that one message', async () => {
    const conversationId = await newConversation();
    const user = await connectSupport(t.baseUrl, driver.token);
    const admin = await connectSupport(t.baseUrl, agent.token);
    const heard = recordEvents(admin);
    const clientMessageId = randomUUID();
    const acks = await Promise.all([
      sendOverSocket(user, conversationId, 'once', clientMessageId),
      sendOverSocket(user, conversationId, 'once', clientMessageId),
      sendOverSocket(user, conversationId, 'once', clientMessageId),
    ]);
    const ids = new Set(acks.map((a) => (a.message as MessageDto).id));
    expect(ids.size).toBe(1);
    await sleep(300);
    // A retry publishes the stored message again (its first publisher may have died after the
    // commit); clients merge the copies by id, and the unread count moved once.
    const broadcast = heard.events.filter((e) => e.event === ServerEvent.MESSAGE_CREATED);
    expect(broadcast).toHaveLength(3);
    for (const { payload } of broadcast) {
      const { message, conversation } = payload as { message: MessageDto; conversation: { unreadCount: number } };
      expect(ids.has(message.id)).toBe(true);
      expect(conversation.unreadCount).toBe(1);
    }
    expect(await t.database.db.supportMessage.count({ where: { conversationId } })).toBe(1);
  });

  it('messages reach the other side in the order they were stored', async () => {
    const conversationId = await newConversation();
    const user = await connectSupport(t.baseUrl, driver.token);
    const admin = await connectSupport(t.baseUrl, agent.token);
    const received: MessageDto[] = [];
    admin.on(ServerEvent.MESSAGE_CREATED, (e) => {
      if (e.message.conversationId === conversationId) received.push(e.message);
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => sendOverSocket(user, conversationId, `burst ${i}`)));
    await sleep(300);
    expect(received).toHaveLength(20);
    const stored = await t.database.db.supportMessage.findMany({
      where: { conversationId },
      orderBy: { createdAt: 'asc' },
    });
    expect(received.map((m) => m.id)).toEqual(stored.map((m) => m.id));
  });

  it('invalid and oversized payloads get an error ack and leave the socket connected', async () => {
    const user = await connectSupport(t.baseUrl, driver.token);
    const invalid = await emitWithAck(user, ClientEvent.MESSAGE_SEND, { conversationId: 'not-a-uuid', body: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const missing = await emitWithAck(user, ClientEvent.MESSAGE_READ, null);
    expect(missing).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const huge = await emitWithAck(user, ClientEvent.MESSAGE_SEND, {
      conversationId: randomUUID(),
      body: 'x'.repeat(70_000),
      clientMessageId: randomUUID(),
    });
    expect(huge).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(user.connected).toBe(true);
    const unknown = await emitWithAck(user, ClientEvent.MESSAGE_SEND, {
      conversationId: randomUUID(),
      body: 'hello',
      clientMessageId: randomUUID(),
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('rate-limits typing per account with an error ack', async () => {
    // A fresh account: the typing budget is per account, and earlier tests spent the driver's.
    const typist = await createUser(t.database.db, t.services.tokens, 'driver');
    const conversationId = await newConversation(typist);
    const user = await connectSupport(t.baseUrl, typist.token);
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await emitWithAck(user, ClientEvent.TYPING_START, { conversationId }));
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(results.slice(5)).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
    ]);
  });
});
