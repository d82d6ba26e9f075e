// Server-side sessions: sign-out ends the session's tokens at once (HTTP, socket handshake,
// refresh), the refresh cookie is single-use with reuse detection, "sign out everywhere" ends
// every session of the account, and revocation reaches open sockets within a second: sign-out,
// a disabled account, an admin role that loses SUPPORT_CHAT (changed directly in the database).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../common/realtime.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, TEST_PASSWORD, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import {
  type ConnectError,
  closeAllSockets,
  connectSupport,
  emitWithAck,
  nextEvent,
  recordEvents,
  type SupportClient,
  sleep,
} from '../helpers/sockets.js';

/** Revocation must reach an open socket within this long. */
const REVOCATION_MS = 1000;
const COOKIE = 'support_chat_refresh';

type SignedIn = { token: string; cookie: string; setCookie: string };

/** The refresh cookie a response sets ("" when it sets none). */
function refreshCookieOf(headers: Headers): { cookie: string; setCookie: string } {
  const setCookie = headers.getSetCookie().find((line) => line.startsWith(`${COOKIE}=`)) ?? '';
  const value = setCookie.split(';')[0]?.slice(COOKIE.length + 1) ?? '';
  return { cookie: value ? `${COOKIE}=${value}` : '', setCookie };
}

describe('server-side sessions', () => {
  let t: TestApp;
  let driver: TestUser;

  const signIn = async (email: string): Promise<SignedIn> => {
    const response = await api(t.baseUrl, 'POST', '/api/auth/login', { body: { email, password: TEST_PASSWORD } });
    expect(response.status).toBe(200);
    return { token: response.json.token, ...refreshCookieOf(response.headers) };
  };
  const refresh = (cookie: string) => api(t.baseUrl, 'POST', '/api/auth/refresh', { body: {}, headers: { cookie } });
  const conversations = (token: string) => api(t.baseUrl, 'GET', '/api/support/conversations', { token });
  const handshakeError = (token: string) =>
    connectSupport(t.baseUrl, token).then(
      () => undefined,
      (error: ConnectError) => error.data?.code,
    );
  const disconnected = (socket: SupportClient) => new Promise<string>((resolve) => socket.once('disconnect', resolve));
  const within = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([
      promise,
      sleep(ms).then(() => {
        throw new Error(`${what}: not within ${ms} ms`);
      }),
    ]);

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    driver = await createUser(t.database.db, t.services.tokens, 'driver');
  });
  afterEach(() => closeAllSockets());
  afterAll(() => t.close());

  it('sign-in sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie for /api/auth only', async () => {
    const session = await signIn(driver.email);
    expect(session.cookie).not.toBe('');
    expect(session.setCookie).toMatch(/; HttpOnly/i);
    expect(session.setCookie).toMatch(/; Secure/i);
    expect(session.setCookie).toMatch(/; SameSite=Strict/i);
    expect(session.setCookie).toMatch(/; Path=\/api\/auth(;|$)/);
  });

  it('sign-out ends the access token (HTTP and socket handshake) and the refresh cookie at once', async () => {
    const session = await signIn(driver.email);
    expect((await conversations(session.token)).status).toBe(200);

    const logout = await api(t.baseUrl, 'POST', '/api/auth/logout', {
      token: session.token,
      body: {},
      headers: { cookie: session.cookie },
    });
    expect(logout.status).toBe(204);
    expect(refreshCookieOf(logout.headers).setCookie).toMatch(/Expires=Thu, 01 Jan 1970/);

    const after = await conversations(session.token);
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('SESSION_EXPIRED');
    expect(await handshakeError(session.token)).toBe('SESSION_EXPIRED');
    expect((await refresh(session.cookie)).status).toBe(401);
    // Idempotent: signing out again (or with nothing at all) is fine.
    expect(
      (await api(t.baseUrl, 'POST', '/api/auth/logout', { body: {}, headers: { cookie: session.cookie } })).status,
    ).toBe(204);
    expect((await api(t.baseUrl, 'POST', '/api/auth/logout', { body: {} })).status).toBe(204);
  });

  it('rotates the refresh cookie on every use; a replayed older one ends the whole session', async () => {
    const session = await signIn(driver.email);
    const first = await refresh(session.cookie);
    expect(first.status).toBe(200);
    const second = refreshCookieOf(first.headers);
    expect(second.cookie).not.toBe('');
    expect(second.cookie).not.toBe(session.cookie);
    const next = await refresh(second.cookie);
    expect(next.status).toBe(200);
    const third = refreshCookieOf(next.headers);

    // The sign-in cookie is two generations old: a replay. The session ends, also for the newest
    // cookie and every access token of it.
    const replay = await refresh(session.cookie);
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe('SESSION_EXPIRED');
    expect((await refresh(third.cookie)).status).toBe(401);
    expect((await conversations(next.json.token)).status).toBe(401);
    expect((await conversations(session.token)).status).toBe(401);
  });

  it('lets two tabs refresh with the same cookie at once (grace window), without a second cookie', async () => {
    const session = await signIn(driver.email);
    const [a, b] = await Promise.all([refresh(session.cookie), refresh(session.cookie)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const cookies = [refreshCookieOf(a.headers).cookie, refreshCookieOf(b.headers).cookie].filter(Boolean);
    expect(cookies).toHaveLength(1);
    // The winner's cookie goes on working, and both access tokens are good.
    expect((await refresh(cookies[0] as string)).status).toBe(200);
    expect((await conversations(a.json.token)).status).toBe(200);
    expect((await conversations(b.json.token)).status).toBe(200);
  });

  it('sign out everywhere ends every session of the account, and no one else’s', async () => {
    const user = await createUser(t.database.db, t.services.tokens, 'customer');
    const phone = await signIn(user.email);
    const laptop = await signIn(user.email);
    const other = await signIn(driver.email);
    const response = await api(t.baseUrl, 'POST', '/api/auth/logout-all', { token: laptop.token, body: {} });
    expect(response.status).toBe(204);
    for (const session of [phone, laptop]) {
      expect((await conversations(session.token)).status).toBe(401);
      expect((await refresh(session.cookie)).status).toBe(401);
    }
    expect((await conversations(user.token)).status).toBe(401);
    expect((await conversations(other.token)).status).toBe(200);
    // Idempotent; without any credential it is refused.
    expect((await api(t.baseUrl, 'POST', '/api/auth/logout-all', { token: laptop.token, body: {} })).status).toBe(204);
    expect((await api(t.baseUrl, 'POST', '/api/auth/logout-all', { body: {} })).status).toBe(401);
  });

  it('refuses cookie requests that a cross-site page could send', async () => {
    const session = await signIn(driver.email);
    // No JSON body: a plain form post could send this without a CORS preflight.
    const form = await fetch(`${t.baseUrl}/api/auth/refresh`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(form.status).toBe(400);
    const foreign = await api(t.baseUrl, 'POST', '/api/auth/refresh', {
      body: {},
      headers: { cookie: session.cookie, origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect((await refresh(session.cookie)).status).toBe(200);
  });

  it('closes the open socket of a signed-out session within a second; other sessions stay', async () => {
    const session = await signIn(driver.email);
    const other = await signIn(driver.email);
    const socket = await connectSupport(t.baseUrl, session.token);
    const otherSocket = await connectSupport(t.baseUrl, other.token);
    const ended = nextEvent(socket, ServerEvent.SESSION_ENDED, () => true, REVOCATION_MS);
    const closed = disconnected(socket);
    await api(t.baseUrl, 'POST', '/api/auth/logout', { body: {}, headers: { cookie: session.cookie } });
    expect(await ended).toEqual({ reason: 'signed_out' });
    expect(await within(closed, REVOCATION_MS, 'disconnect')).toBe('io server disconnect');
    await sleep(100);
    expect(otherSocket.connected).toBe(true);
  });

  it('after losing its LISTEN connection, a server reconnects and closes sockets of sessions ended meanwhile', async () => {
    const session = await signIn(driver.email);
    const socket = await connectSupport(t.baseUrl, session.token);
    const closed = disconnected(socket);
    // Cut the server's LISTEN connection, then sign out while it is down: that notification is lost.
    const cut = await t.database.db.$queryRaw<{ terminated: boolean }[]>`
      SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
       WHERE datname = current_database() AND query = 'LISTEN auth_changes'`;
    expect(cut).toEqual([{ terminated: true }]);
    await api(t.baseUrl, 'POST', '/api/auth/logout', { body: {}, headers: { cookie: session.cookie } });
    // Reconnected (first retry after 250 ms), it looks at every socket again.
    await within(closed, 3000, 'disconnect after the LISTEN connection came back');
  });

  it('disconnects a disabled account within a second, and nothing it sends is stored', async () => {
    const user = await createUser(t.database.db, t.services.tokens, 'restaurant');
    const session = await signIn(user.email);
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: session.token, body: {} });
    const conversationId = created.json.conversation.id as string;
    const socket = await connectSupport(t.baseUrl, session.token);
    const closed = disconnected(socket);

    await t.database.db.$executeRaw`UPDATE "User" SET "isActive" = false WHERE id = ${user.userId}::uuid`;
    await within(closed, REVOCATION_MS, 'disconnect of the disabled account');
    const send = await emitWithAck(
      socket,
      ClientEvent.MESSAGE_SEND,
      { conversationId, body: 'after disabling', clientMessageId: randomUUID() },
      300,
    ).catch(() => ({ ok: false }));
    expect(send.ok).toBe(false);
    expect(await t.database.db.supportMessage.count({ where: { conversationId } })).toBe(0);
    // Disabling ended the session: it stays ended if the account is enabled again.
    await t.database.db.user.update({ where: { id: user.userId }, data: { isActive: true } });
    expect((await refresh(session.cookie)).status).toBe(401);
  });

  it('refuses join, sync, send and events within a second when the admin role loses SUPPORT_CHAT', async () => {
    const agent: TestAdmin = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
    const conversationId = created.json.conversation.id as string;
    const socket = await connectSupport(t.baseUrl, agent.token);
    expect((await emitWithAck(socket, ClientEvent.CONVERSATION_JOIN, { conversationId })).ok).toBe(true);
    expect((await emitWithAck(socket, ClientEvent.TYPING_START, { conversationId })).ok).toBe(true);

    const changedAt = Date.now();
    await t.database.db.$executeRaw`
      UPDATE "AdminRole" SET permissions = ARRAY['SETTINGS_MANAGE']::"AdminPermission"[]
       WHERE id = (SELECT "roleId" FROM "AdminProfile" WHERE id = ${agent.adminId}::uuid)`;
    let join = await emitWithAck(socket, ClientEvent.CONVERSATION_JOIN, { conversationId });
    while (join.ok && Date.now() - changedAt < REVOCATION_MS) {
      await sleep(100);
      join = await emitWithAck(socket, ClientEvent.CONVERSATION_JOIN, { conversationId });
    }
    expect(join.ok, 'join still accepted a second after the change').toBe(false);
    expect(join.error?.code).toBe('FORBIDDEN');
    const sync = await emitWithAck(socket, ClientEvent.MESSAGES_SYNC, { conversationId });
    expect(sync.error?.code).toBe('FORBIDDEN');
    const send = await emitWithAck(socket, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'as admin',
      clientMessageId: randomUUID(),
    });
    expect(send.error?.code).toBe('FORBIDDEN');
    const typing = await emitWithAck(socket, ClientEvent.TYPING_START, { conversationId });
    expect(typing.error?.code).toBe('FORBIDDEN');

    // It left the admins room and the conversation room it had joined: the user's next message
    // does not reach it. The socket itself stays (the admin may still use the rest of the app).
    const heard = recordEvents(socket);
    await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: driver.token,
      body: { body: 'anyone there?' },
    });
    // Nor do internal notes, not even one that (still) names this admin as mentioned.
    const note = {
      id: randomUUID(),
      conversationId,
      seq: 1,
      authorAdminId: null,
      authorName: null,
      body: 'internal',
      mentions: [],
      clientNoteId: null,
      createdAt: new Date().toISOString(),
    };
    t.services.supportEvents.publish('noteCreated', { note, mentionedAdminIds: [agent.adminId], userName: 'x' });
    await sleep(400);
    expect(heard.events).toEqual([]);
    expect(socket.connected).toBe(true);
    expect(await t.database.db.supportMessage.count({ where: { conversationId, senderType: 'admin' } })).toBe(0);
  });
});
