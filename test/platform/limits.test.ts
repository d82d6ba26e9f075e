// Limits that hold per account (or per client address), not per socket or per request: the
// message budget over every socket and HTTP, the socket cap, conversation creation, and login.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, type ConnectionClosedEvent, ServerEvent } from '../../common/realtime.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { makePng, upload } from '../helpers/files.js';
import { api, createAdmin, createUser, TEST_PASSWORD, type TestAdmin } from '../helpers/fixtures.js';
import {
  closeAllSockets,
  connectSupport,
  emitWithAck,
  nextEvent,
  recordEvents,
  type SupportClient,
} from '../helpers/sockets.js';

describe('per-account limits (one process)', () => {
  let t: TestApp;
  let agent: TestAdmin;

  beforeAll(async () => {
    t = await startTestApp(
      {
        SOCKETS_PER_ACCOUNT: '3',
        MESSAGE_RATE_LIMIT: '20',
        OPEN_CONVERSATIONS_PER_USER: '5',
        CONVERSATIONS_PER_HOUR: '7',
      },
      { rateLimits: { typing: { points: 5, durationSeconds: 10 } } },
    );
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
  });
  afterEach(() => closeAllSockets());
  afterAll(() => t.close());

  const newUser = () => createUser(t.database.db, t.services.tokens, 'driver');
  const openConversation = async (token: string) => {
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token, body: {} });
    expect(created.status).toBe(201);
    return created.json.conversation.id as string;
  };

  it('spends one message budget over all sockets of an account, and HTTP sends and uploads share it', async () => {
    const user = await newUser();
    const conversationId = await openConversation(user.token);
    // Three sockets: within the cap of 3, so none is closed; 3 x 8 sends against a budget of 20.
    const sockets: SupportClient[] = [];
    for (let i = 0; i < 3; i++) sockets.push(await connectSupport(t.baseUrl, user.token));
    const acks = await Promise.all(
      sockets.flatMap((socket) =>
        Array.from({ length: 8 }, (_, i) =>
          emitWithAck(socket, ClientEvent.MESSAGE_SEND, {
            conversationId,
            body: `burst ${i}`,
            clientMessageId: randomUUID(),
          }),
        ),
      ),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(20);
    const refused = acks.filter((ack) => !ack.ok);
    expect(refused).toHaveLength(4);
    for (const ack of refused) expect(ack.error?.code).toBe('RATE_LIMITED');

    const overHttp = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: user.token,
      body: { body: 'one more over HTTP' },
    });
    expect(overHttp.status).toBe(429);
    expect(overHttp.json.error.code).toBe('RATE_LIMITED');
    expect(Number(overHttp.headers.get('retry-after'))).toBeGreaterThan(0);
    const uploaded = await upload(t.baseUrl, user.token, conversationId, { data: await makePng(), name: 'a.png' });
    expect(uploaded.status).toBe(429);
    expect(await t.database.db.supportMessage.count({ where: { conversationId } })).toBe(20);
  });

  it('keeps the typing budget per account, not per socket', async () => {
    const user = await newUser();
    const conversationId = await openConversation(user.token);
    const first = await connectSupport(t.baseUrl, user.token);
    const second = await connectSupport(t.baseUrl, user.token);
    const acks = [];
    for (const socket of [first, second, first, second, first, second]) {
      acks.push(await emitWithAck(socket, ClientEvent.TYPING_START, { conversationId }));
    }
    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true, true, false]);
    expect(acks[5]?.error?.code).toBe('RATE_LIMITED');
  });

  it('closes the oldest socket of an account beyond the cap, telling it why', async () => {
    const user = await newUser();
    const sockets: SupportClient[] = [];
    for (let i = 0; i < 3; i++) sockets.push(await connectSupport(t.baseUrl, user.token));
    const [oldest, ...others] = sockets as [SupportClient, ...SupportClient[]];
    const closed: Promise<ConnectionClosedEvent> = nextEvent(oldest, ServerEvent.CONNECTION_CLOSED);
    const othersHeard = others.map(recordEvents);
    const oldestGone = new Promise((resolve) => sockets[0]?.once('disconnect', resolve));
    const fourth = await connectSupport(t.baseUrl, agent.token); // another account: no effect
    const newest = await connectSupport(t.baseUrl, user.token);

    const event = await closed;
    expect(event.reason).toBe('TOO_MANY_CONNECTIONS');
    expect(event.message).toMatch(/3 open connections/);
    await oldestGone;
    for (const heard of othersHeard) expect(heard.events.map((e) => e.event)).not.toContain('connection:closed');
    expect(sockets.map((socket) => socket.connected)).toEqual([false, true, true]);
    expect(newest.connected).toBe(true);
    expect(fourth.connected).toBe(true);
  });

  it('caps open conversations under 40 parallel creations, and creations per hour', async () => {
    const user = await newUser();
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        api(t.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: { subject: 'Help' } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(35);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.json.error.code).toBe('CONVERSATION_LIMIT_REACHED');
      expect(r.json.error.message).toMatch(/open conversations/);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(await t.database.db.supportConversation.count({ where: { userId: user.userId } })).toBe(5);

    // Support resolves them: the open cap lifts, the hourly budget (7) still holds.
    await t.database.db.supportConversation.updateMany({
      where: { userId: user.userId },
      data: { status: 'resolved' },
    });
    await openConversation(user.token);
    await openConversation(user.token);
    const eighth = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: {} });
    expect(eighth.status).toBe(429);
    expect(eighth.json.error.code).toBe('RATE_LIMITED');
    expect(Number(eighth.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('login limits per client address', () => {
  const attempts = (t: TestApp, forwardedFor?: (i: number) => string) =>
    Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api(t.baseUrl, 'POST', '/api/auth/login', {
          body: { email: `sprayed-${i}@test.example`, password: TEST_PASSWORD },
          headers: forwardedFor ? { 'x-forwarded-for': forwardedFor(i) } : {},
        }),
      ),
    );

  it('stops password spraying (many e-mails, one address) and ignores X-Forwarded-For without TRUST_PROXY', async () => {
    const t = await startTestApp();
    try {
      const results = await attempts(t, (i) => `203.0.113.${i}`);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(30);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10);
      const limited = results.find((r) => r.status === 429);
      expect(limited?.json.error.code).toBe('RATE_LIMITED');
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('believes X-Forwarded-For from a trusted proxy', async () => {
    const t = await startTestApp({ TRUST_PROXY: '127.0.0.1' });
    try {
      const results = await attempts(t, (i) => `203.0.113.${i}`);
      expect(results.every((r) => r.status === 401)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
