// Sign-in, tokens and the principal: login success and failure, expiry, tampering, refresh.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../server/platform/auth/tokens.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, TEST_PASSWORD, type TestAdmin, type TestUser } from '../helpers/fixtures.js';

describe('auth', () => {
  let t: TestApp;
  let driver: TestUser;
  let admin: TestAdmin;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '5' });
    driver = await createUser(t.database.db, t.services.tokens, 'driver', { fullName: 'Dana Driver' });
    admin = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Sam Support');
  });
  afterAll(() => t.close());

  it('logs a user in and returns a token that identifies them', async () => {
    const login = await api(t.baseUrl, 'POST', '/api/auth/login', {
      body: { email: driver.email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.json.me).toEqual({
      kind: 'user',
      userId: driver.userId,
      userType: 'driver',
      displayName: 'Dana Driver',
    });
    expect(new Date(login.json.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await api(t.baseUrl, 'GET', '/api/auth/me', { token: login.json.token });
    expect(me.status).toBe(200);
    expect(me.json.userId).toBe(driver.userId);
  });

  it('returns an admin principal with the permissions of the role', async () => {
    const me = await api(t.baseUrl, 'GET', '/api/auth/me', { token: admin.token });
    expect(me.json).toEqual({
      kind: 'admin',
      userId: admin.userId,
      adminId: admin.adminId,
      permissions: ['SUPPORT_CHAT'],
      displayName: 'Sam Support',
    });
  });

  it('gives the same 401 for an unknown e-mail and a wrong password', async () => {
    const unknown = await api(t.baseUrl, 'POST', '/api/auth/login', {
      body: { email: 'nobody@test.example', password: TEST_PASSWORD },
    });
    const wrong = await api(t.baseUrl, 'POST', '/api/auth/login', {
      body: { email: admin.email, password: 'not the password' },
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.json).toEqual(wrong.json);
    expect(unknown.json.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a disabled account with the same answer', async () => {
    const user = await createUser(t.database.db, t.services.tokens, 'customer');
    await t.database.db.user.update({ where: { id: user.userId }, data: { isActive: false } });
    const login = await api(t.baseUrl, 'POST', '/api/auth/login', {
      body: { email: user.email, password: TEST_PASSWORD },
    });
    expect(login.status).toBe(401);
    expect(login.json.error.code).toBe('INVALID_CREDENTIALS');
    // Tokens issued before the account was disabled stop working at once.
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', { token: user.token })).status).toBe(401);
  });

  it('rejects a malformed login body with 400 VALIDATION_FAILED', async () => {
    const response = await api(t.baseUrl, 'POST', '/api/auth/login', { body: { email: 'x' } });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('rate-limits login attempts per address and e-mail', async () => {
    const email = `limited-${Date.now()}@test.example`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await api(t.baseUrl, 'POST', '/api/auth/login', { body: { email, password: 'x' } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await api(t.baseUrl, 'POST', '/api/auth/login', { body: { email, password: 'x' } });
    expect(limited.json.error.code).toBe('RATE_LIMITED');
    // Another account from the same address is not locked out.
    const other = await api(t.baseUrl, 'POST', '/api/auth/login', {
      body: { email: driver.email, password: TEST_PASSWORD },
    });
    expect(other.status).toBe(200);
  });

  it('refuses requests without a token, with a malformed header or a tampered token', async () => {
    expect((await api(t.baseUrl, 'GET', '/api/auth/me')).json.error.code).toBe('UNAUTHENTICATED');
    const malformed = await api(t.baseUrl, 'GET', '/api/auth/me', {
      headers: { authorization: `Token ${driver.token}` },
    });
    expect(malformed.status).toBe(401);
    const [header, payload, signature] = driver.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: admin.userId })).toString('base64url');
    const tampered = await api(t.baseUrl, 'GET', '/api/auth/me', { token: `${header}.${forged}.${signature}` });
    expect(tampered.status).toBe(401);
    expect(tampered.json.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another key, for another audience or issuer, or with alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (key: string, issuer: string, audience: string) =>
      new SignJWT({ sid: driver.sessionId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(driver.userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime(now + 60)
        .sign(new TextEncoder().encode(key));
    const tokens = [
      await sign('another-secret-another-secret-another-secret', TOKEN_ISSUER, TOKEN_AUDIENCE),
      await sign(TEST_SECRETS.JWT_SECRET, TOKEN_ISSUER, 'someone-else'),
      await sign(TEST_SECRETS.JWT_SECRET, 'someone-else', TOKEN_AUDIENCE),
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: driver.userId, sid: driver.sessionId, exp: now + 60, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE })).toString('base64url')}.`,
    ];
    for (const token of tokens) {
      expect((await api(t.baseUrl, 'GET', '/api/auth/me', { token })).status).toBe(401);
    }
    // The same construction with the right key is accepted, so the refusals above are meaningful.
    const good = await sign(TEST_SECRETS.JWT_SECRET, TOKEN_ISSUER, TOKEN_AUDIENCE);
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', { token: good })).status).toBe(200);
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const shortLived = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 1 });
    const { token } = await shortLived.issue(driver.userId, driver.sessionId, 1);
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await api(t.baseUrl, 'GET', '/api/auth/me', { token });
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('TOKEN_EXPIRED');
  });

  it('refreshes with the sign-in cookie until the session maximum age, then neither token works', async () => {
    const login = await api(t.baseUrl, 'POST', '/api/auth/login', {
      body: { email: driver.email, password: TEST_PASSWORD },
    });
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const refreshed = await api(t.baseUrl, 'POST', '/api/auth/refresh', { body: {}, headers: { cookie } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.me.userId).toBe(driver.userId);
    const next = refreshed.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    // The session reaches SESSION_MAX_AGE_SECONDS.
    await t.database.db.authSession.updateMany({
      where: { userId: driver.userId, revokedAt: null },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const tooOld = await api(t.baseUrl, 'POST', '/api/auth/refresh', { body: {}, headers: { cookie: next } });
    expect(tooOld.status).toBe(401);
    expect(tooOld.json.error.code).toBe('SESSION_EXPIRED');
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', { token: refreshed.json.token })).status).toBe(401);
    driver = await createUser(t.database.db, t.services.tokens, 'driver', { fullName: 'Dana Driver' });
  });

  it('never writes passwords or tokens to the log', async () => {
    await api(t.baseUrl, 'POST', '/api/auth/login', { body: { email: driver.email, password: TEST_PASSWORD } });
    const log = t.logText();
    expect(log).toContain('"status":200');
    expect(log).not.toContain(TEST_PASSWORD);
    expect(log).not.toContain(driver.token);
    expect(log).not.toContain(driver.email);
  });
});
