// The notification outbox in one process: the reply write records it, the worker decides and
// delivers through a real SMTP server (digest, read/online/preferences, backoff, failure), and
// nothing personal reaches the outbox or the log. The background worker is slowed down; each test
// runs a worker pass itself.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/errors.js';
import { poolOf } from '../../server/db/client.js';
import { retryDelayMs } from '../../server/notifications/notification-worker.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import { closeAllSockets, connectSupport } from '../helpers/sockets.js';

const BODY = 'Your refund of 12.50 was approved today';

describe('notification outbox (e-mail)', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let agent: TestAdmin;
  let lead: TestAdmin;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Acme Support <support@acme.test>',
      PUBLIC_URL: 'https://chat.acme.test',
      NOTIFICATION_POLL_INTERVAL_MS: '600000',
      NOTIFICATION_MAX_ATTEMPTS: '3',
      NOTIFICATION_RETRY_BASE_MS: '10',
    });
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Alice Agent');
    lead = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT', 'SETTINGS_MANAGE']);
    const set = await api(t.baseUrl, 'PUT', '/api/admin/notifications/settings', {
      token: lead.token,
      body: { delaySeconds: 0, includePreview: false },
    });
    expect(set.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.messages.length = 0;
    smtp.refuse = null;
    closeAllSockets();
  });

  async function conversationOf(user: TestUser, subject = 'Missing payout') {
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { subject, message: { body: 'Where is my payout?' } },
    });
    expect(created.status).toBe(201);
    return created.json.conversation.id as string;
  }
  const reply = async (conversationId: string, body = BODY) => {
    const sent = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: agent.token,
      body: { body },
    });
    expect(sent.status).toBe(201);
    return sent.json.id as string;
  };
  const outboxOf = (conversationId: string) =>
    t.database.db.notificationOutbox.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } });

  it('an unread reply to a user without a socket becomes one e-mail with the agent, topic and link', async () => {
    const driver = await createUser(t.database.db, t.services.tokens, 'driver');
    const conversationId = await conversationOf(driver);
    const messageId = await reply(conversationId);
    const [row] = await outboxOf(conversationId);
    expect(row).toMatchObject({ status: 'pending', lastMessageId: messageId, messageCount: 1, userId: driver.userId });

    expect(await t.notificationWorker.runOnce()).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail?.to).toEqual([driver.email]);
    expect(mail?.headers.get('subject')).toBe('Alice Agent replied: Missing payout');
    expect(mail?.headers.get('from')).toBe('Acme Support <support@acme.test>');
    expect(mail?.headers.get('x-notification-id')).toBe(row?.id);
    expect(mail?.headers.get('message-id')).toBe(`<notification-${row?.id}@chat.acme.test>`);
    expect(mail?.text).toContain(`https://chat.acme.test/driver/support/${conversationId}`);
    // No preview unless the setting is on: the reply's text is personal data.
    expect(mail?.text).not.toContain('refund');
    expect((await outboxOf(conversationId))[0]).toMatchObject({ status: 'sent', deliveredChannels: ['email'] });
    // A second pass finds nothing: delivered once.
    expect(await t.notificationWorker.runOnce()).toBe(0);
    expect(smtp.messages).toHaveLength(1);
  });

  it('several replies within the window become one notification (digest), the preview when enabled', async () => {
    await api(t.baseUrl, 'PUT', '/api/admin/notifications/settings', {
      token: lead.token,
      body: { delaySeconds: 0, includePreview: true },
    });
    try {
      const customer = await createUser(t.database.db, t.services.tokens, 'customer');
      const conversationId = await conversationOf(customer, 'Cold food');
      await reply(conversationId, 'first answer');
      await reply(conversationId, 'second answer');
      const last = await reply(conversationId, 'We are sending a voucher');
      const rows = await outboxOf(conversationId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ messageCount: 3, lastMessageId: last });
      await t.notificationWorker.runOnce();
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]?.text).toContain('3 new replies');
      expect(smtp.messages[0]?.text).toContain('We are sending a voucher');
      expect(smtp.messages[0]?.text).toContain(`https://chat.acme.test/customer/help/chat/${conversationId}`);
      // A reply after the digest was taken starts a new one.
      await reply(conversationId, 'one more');
      expect((await outboxOf(conversationId)).map((row) => row.status)).toEqual(['sent', 'pending']);
    } finally {
      await api(t.baseUrl, 'PUT', '/api/admin/notifications/settings', {
        token: lead.token,
        body: { delaySeconds: 0, includePreview: false },
      });
    }
  });

  it('the delay setting decides when a reply is due', async () => {
    await api(t.baseUrl, 'PUT', '/api/admin/notifications/settings', {
      token: lead.token,
      body: { delaySeconds: 120, includePreview: false },
    });
    try {
      const driver = await createUser(t.database.db, t.services.tokens, 'driver');
      const conversationId = await conversationOf(driver);
      await reply(conversationId);
      const [row] = await outboxOf(conversationId);
      const delay = (row?.dueAt.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0);
      expect(delay).toBeGreaterThan(119_000);
      expect(delay).toBeLessThan(121_000);
      await t.notificationWorker.runOnce();
      expect(smtp.messages.filter((mail) => mail.to.includes(driver.email))).toHaveLength(0);
      expect((await outboxOf(conversationId))[0]?.status).toBe('pending');
    } finally {
      await api(t.baseUrl, 'PUT', '/api/admin/notifications/settings', {
        token: lead.token,
        body: { delaySeconds: 0, includePreview: false },
      });
    }
  });

  it('nothing is sent when the user read the reply, has a socket open, or turned e-mail off', async () => {
    const reader = await createUser(t.database.db, t.services.tokens, 'driver');
    const read = await conversationOf(reader);
    const readId = await reply(read);
    expect((await api(t.baseUrl, 'POST', `/api/support/messages/${readId}/read`, { token: reader.token })).status).toBe(
      200,
    );

    const online = await createUser(t.database.db, t.services.tokens, 'driver');
    const onlineConversation = await conversationOf(online);
    await reply(onlineConversation);
    await connectSupport(t.baseUrl, online.token);

    const optedOut = await createUser(t.database.db, t.services.tokens, 'restaurant');
    const prefs = await api(t.baseUrl, 'PUT', '/api/notifications/preferences', {
      token: optedOut.token,
      body: { email: false },
    });
    expect(prefs.status).toBe(200);
    expect(prefs.json).toMatchObject({ email: false, emailAvailable: true });
    const optedOutConversation = await conversationOf(optedOut);
    await reply(optedOutConversation);

    await t.notificationWorker.runOnce();
    expect(smtp.messages).toHaveLength(0);
    expect((await outboxOf(read))[0]).toMatchObject({ status: 'skipped', lastError: 'READ' });
    expect((await outboxOf(onlineConversation))[0]).toMatchObject({ status: 'skipped', lastError: 'ONLINE' });
    expect((await outboxOf(optedOutConversation))[0]).toMatchObject({ status: 'skipped', lastError: 'NO_CHANNEL' });
  });

  it('preferences are per user and for users only; agents see which channels are on', async () => {
    const customer = await createUser(t.database.db, t.services.tokens, 'customer');
    const conversationId = await conversationOf(customer);
    expect(
      (await api(t.baseUrl, 'GET', '/api/notifications/preferences', { token: customer.token })).json,
    ).toMatchObject({
      email: true,
      push: true,
      pushDevices: 0,
    });
    expect((await api(t.baseUrl, 'GET', '/api/notifications/preferences', { token: agent.token })).status).toBe(403);
    const bad = await api(t.baseUrl, 'PUT', '/api/notifications/preferences', { token: customer.token, body: {} });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe(ErrorCode.VALIDATION_FAILED);

    const info = await api(t.baseUrl, 'GET', `/api/admin/support/conversations/${conversationId}/notifications`, {
      token: agent.token,
    });
    expect(info.status).toBe(200);
    expect(info.json.channels).toEqual({ email: true, push: false, pushDevices: 0 });
    await api(t.baseUrl, 'PUT', '/api/notifications/preferences', { token: customer.token, body: { email: false } });
    const after = await api(t.baseUrl, 'GET', `/api/admin/support/conversations/${conversationId}/notifications`, {
      token: agent.token,
    });
    expect(after.json.channels.email).toBe(false);
    const asUser = await api(t.baseUrl, 'GET', `/api/admin/support/conversations/${conversationId}/notifications`, {
      token: customer.token,
    });
    expect(asUser.status).toBe(403);
  });

  it('a refused delivery is retried with backoff, then marked failed and listed for leads', async () => {
    const driver = await createUser(t.database.db, t.services.tokens, 'driver');
    const conversationId = await conversationOf(driver);
    await reply(conversationId);
    smtp.refuse = 451;

    await t.notificationWorker.runOnce();
    let [row] = await outboxOf(conversationId);
    expect(row).toMatchObject({ status: 'sending', attempts: 1, lastError: 'EMAIL_451', claimToken: null });
    // Not due again at once: the retry waits (base 10 ms, jittered) before the next attempt.
    expect(row?.dueAt.getTime()).toBeGreaterThan((row?.updatedAt.getTime() ?? 0) + 4);

    for (let attempt = 2; attempt <= 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await t.notificationWorker.runOnce();
    }
    [row] = await outboxOf(conversationId);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, lastError: 'EMAIL_451' });
    expect(smtp.messages).toHaveLength(0);

    const failed = await api(t.baseUrl, 'GET', '/api/admin/notifications/failed', { token: lead.token });
    expect(failed.status).toBe(200);
    expect(failed.json.items).toContainEqual(
      expect.objectContaining({ id: row?.id, conversationId, attempts: 3, lastError: 'EMAIL_451' }),
    );
    expect((await api(t.baseUrl, 'GET', '/api/admin/notifications/failed', { token: agent.token })).status).toBe(403);
  });

  it('a row whose worker died mid-delivery is taken over when its lease ends; a live lease is left alone', async () => {
    const driver = await createUser(t.database.db, t.services.tokens, 'driver');
    const conversationId = await conversationOf(driver);
    await reply(conversationId);
    // As a worker leaves it when it is killed after claiming: sending, a claim token, a lease.
    await t.database.db.notificationOutbox.updateMany({
      where: { conversationId },
      data: { status: 'sending', attempts: 1, claimToken: randomUUID(), dueAt: new Date(Date.now() + 60_000) },
    });
    await t.notificationWorker.runOnce();
    expect(smtp.messages).toHaveLength(0);
    await t.database.db.notificationOutbox.updateMany({
      where: { conversationId },
      data: { dueAt: new Date(Date.now() - 1) },
    });
    await t.notificationWorker.runOnce();
    expect(smtp.messages).toHaveLength(1);
    expect((await outboxOf(conversationId))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it("the workers' due scan can use the partial due index", async () => {
    const client = await poolOf(t.database.db).connect();
    try {
      await client.query('BEGIN');
      // A tiny test table would be scanned whole; forbid that to see whether the index fits the query.
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query(
        `EXPLAIN (FORMAT JSON) SELECT id FROM "NotificationOutbox"
         WHERE status IN ('pending', 'sending') AND "dueAt" <= now() ORDER BY "dueAt" LIMIT 50 FOR UPDATE SKIP LOCKED`,
      );
      expect(JSON.stringify(rows[0])).toContain('NotificationOutbox_due_idx');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('backoff doubles per attempt with jitter between half and all of it', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
    expect(retryDelayMs(3, 1000, () => 0)).toBe(2000);
    expect(retryDelayMs(40, 1000, () => 1)).toBe(6 * 3600_000);
  });

  it('keeps message text and e-mail addresses out of the outbox and the log', async () => {
    const columns = await t.database.db.$queryRaw<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'NotificationOutbox'`;
    expect(columns.map((c) => c.column_name)).not.toContain('body');
    expect(t.logText()).not.toContain(BODY);
    expect(t.logText()).not.toContain('@test.example');
  });
});
