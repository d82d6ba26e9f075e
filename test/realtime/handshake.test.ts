// Socket handshake: the support namespace accepts only valid, current tokens of active accounts,
// from allowed origins, and ends a socket when its token expires.
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent, SUPPORT_NAMESPACE } from '../../common/realtime.js';
import { createTokenService, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../server/platform/auth/tokens.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { createAdmin, createUser, type TestUser } from '../helpers/fixtures.js';
import { type ConnectError, closeAllSockets, connectSupport, nextEvent } from '../helpers/sockets.js';

describe('socket handshake', () => {
  let t: TestApp;
  let driver: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    driver = await createUser(t.database.db, t.services.tokens, 'driver');
  });
  afterEach(() => closeAllSockets());
  afterAll(() => t.close());

  const refused = async (token: string | undefined, options?: { origin?: string }) => {
    const error = (await connectSupport(t.baseUrl, token, options).then(
      () => {
        throw new Error('the connection was accepted');
      },
      (e: ConnectError) => e,
    )) as ConnectError;
    return error;
  };

  it('accepts a valid token', async () => {
    const socket = await connectSupport(t.baseUrl, driver.token);
    expect(socket.connected).toBe(true);
  });

  it('refuses a connection without a token', async () => {
    const error = await refused(undefined);
    expect(error.data?.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/access token/);
  });

  it('refuses a tampered token, a token signed with another key, and alg none', async () => {
    const [header, payload, signature] = driver.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${signature}`;
    const now = Math.floor(Date.now() / 1000);
    const otherKey = await new SignJWT({ sid: driver.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(driver.userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    for (const token of [forged, otherKey, none, 'garbage']) {
      expect((await refused(token)).data?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 30 });
    const { token } = await tokens.issue(driver.userId, driver.sessionId, -10);
    expect((await refused(token)).data?.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a valid token of an unknown or disabled user', async () => {
    // A token of a session that does not exist (or not for this user).
    const ghost = await t.services.tokens.issue('00000000-0000-4000-8000-000000000000', driver.sessionId);
    expect((await refused(ghost.token)).data?.code).toBe('UNAUTHENTICATED');
    const noSession = await t.services.tokens.issue(driver.userId, '00000000-0000-4000-8000-000000000000');
    expect((await refused(noSession.token)).data?.code).toBe('SESSION_EXPIRED');
    const disabled = await createUser(t.database.db, t.services.tokens, 'customer');
    await t.database.db.user.update({ where: { id: disabled.userId }, data: { isActive: false } });
    expect((await refused(disabled.token)).data?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps neither the access token nor the request headers (cookies) with an open socket', async () => {
    // The handshake lives as long as the socket and travels to other processes with fetchSockets.
    await connectSupport(t.baseUrl, driver.token, { headers: { cookie: 'refresh=a-refresh-secret' } });
    const [socket] = await t.sockets.io.of(SUPPORT_NAMESPACE).fetchSockets();
    const handshake = JSON.stringify(socket?.handshake);
    expect(handshake).toContain('"issued"');
    expect(handshake).not.toContain(driver.token);
    expect(handshake).not.toContain('a-refresh-secret');
  });

  it("shares the chat's event listeners between sockets instead of making them per socket", async () => {
    // Per-socket closures and option objects cost an idle connection several kilobytes.
    const other = await createUser(t.database.db, t.services.tokens, 'customer');
    await connectSupport(t.baseUrl, driver.token);
    await connectSupport(t.baseUrl, other.token);
    const [first, second] = [...t.sockets.io.of(SUPPORT_NAMESPACE).sockets.values()];
    for (const event of [ClientEvent.MESSAGE_SEND, ClientEvent.TYPING_START, ClientEvent.VIEWING_START, 'disconnect']) {
      const listeners = first?.listeners(event) ?? [];
      expect(listeners.length, event).toBeGreaterThan(0);
      expect(second?.listeners(event), event).toEqual(listeners);
    }
  });

  it('refuses an origin outside the configured list, and accepts a listed one', async () => {
    const error = await refused(driver.token, { origin: 'https://evil.example' });
    expect(error.message).toMatch(/websocket error|Origin/i);
    const ok = await connectSupport(t.baseUrl, driver.token, { origin: t.config.allowedOrigins[0] });
    expect(ok.connected).toBe(true);
  });

  it('refuses the default namespace', async () => {
    const socket = io(t.baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token: driver.token },
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.disconnect();
    expect(error.message).toMatch(/support namespace/);
  });

  it('ends the socket when its token expires, after telling the client', async () => {
    const { token } = await t.services.tokens.issue(driver.userId, driver.sessionId, 2);
    const socket = await connectSupport(t.baseUrl, token);
    const expired = nextEvent(socket, ServerEvent.SESSION_EXPIRED, () => true, 5000);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await expired;
    expect(await disconnected).toBe('io server disconnect');
    // A fresh token connects again.
    const fresh = await t.services.tokens.issue(driver.userId, driver.sessionId);
    expect((await connectSupport(t.baseUrl, fresh.token)).connected).toBe(true);
  });

  it('drops a disabled account and an admin who lost SUPPORT_CHAT at the next account check', async () => {
    const agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
    const user = await createUser(t.database.db, t.services.tokens, 'restaurant');
    const agentSocket = await connectSupport(t.baseUrl, agent.token);
    const userSocket = await connectSupport(t.baseUrl, user.token);
    const nsp = t.sockets.io.of('/support');
    const roomsOf = (userId: string) =>
      [...nsp.sockets.values()].filter((s) => s.data.principal.userId === userId).flatMap((s) => [...s.rooms]);
    expect(roomsOf(agent.userId)).toContain('admins');

    const profile = await t.database.db.adminProfile.findUniqueOrThrow({ where: { id: agent.adminId } });
    await t.database.db.adminRole.update({ where: { id: profile.roleId }, data: { permissions: ['SETTINGS_MANAGE'] } });
    await t.database.db.user.update({ where: { id: user.userId }, data: { isActive: false } });
    const disconnected = new Promise((resolve) => userSocket.once('disconnect', resolve));
    await t.sockets.recheckAccounts();
    await disconnected;
    expect(roomsOf(agent.userId)).not.toContain('admins');
    expect(agentSocket.connected).toBe(true);
    expect(userSocket.connected).toBe(false);
  });

  it('lets an admin without SUPPORT_CHAT connect into no support room', async () => {
    const viewer = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE']);
    const agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
    await connectSupport(t.baseUrl, viewer.token);
    await connectSupport(t.baseUrl, agent.token);
    const nsp = t.sockets.io.of('/support');
    const roomsOf = (userId: string) =>
      [...nsp.sockets.values()]
        .filter((s) => s.data.principal.userId === userId)
        .flatMap((s) => [...s.rooms].filter((room) => room !== s.id));
    // Every socket is in its account's and its session's room (for sign-out and revocation).
    expect(roomsOf(viewer.userId).sort()).toEqual([`account:${viewer.userId}`, `session:${viewer.sessionId}`].sort());
    expect(roomsOf(agent.userId).sort()).toEqual(
      ['admins', `agent:${agent.adminId}`, `account:${agent.userId}`, `session:${agent.sessionId}`].sort(),
    );
  });
});
