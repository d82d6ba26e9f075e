// What leads do with notifications that gave up: the list (channels, attempts, error codes, ids;
// nothing personal), Retry (re-queued and delivered once, or folded into a newer waiting
// notification; later replies start their own), Dismiss, the permission and audit of each, and the pruning of old finished rows.
// Deliveries go through a real SMTP server; each test runs worker passes itself.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin } from '../helpers/fixtures.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

const BODY = 'Your replacement card ships on Monday';

describe('failed notifications (leads)', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let agent: TestAdmin;
  let lead: TestAdmin;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      NOTIFICATION_POLL_INTERVAL_MS: '600000',
      // One attempt: a refused delivery fails for good in one pass.
      NOTIFICATION_MAX_ATTEMPTS: '1',
    });
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Alice Agent');
    lead = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT', 'SETTINGS_MANAGE']);
    await t.database.db.setting.create({ data: { key: 'notifications.delaySeconds', value: 0 } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.messages.length = 0;
    smtp.refuse = null;
  });

  const reply = async (conversationId: string) => {
    const sent = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: agent.token,
      body: { body: BODY },
    });
    expect(sent.status).toBe(201);
  };
  /** A conversation whose reply notification failed (SMTP 550), and that row. */
  async function failedNotification() {
    const user = await createUser(t.database.db, t.services.tokens, 'customer');
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { subject: 'Card declined' },
    });
    const conversationId = created.json.conversation.id as string;
    await reply(conversationId);
    smtp.refuse = 550;
    await t.notificationWorker.runOnce();
    smtp.refuse = null;
    const [row] = await t.database.db.notificationOutbox.findMany({ where: { conversationId } });
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: 'EMAIL_550' });
    return { user, conversationId, id: row?.id as string };
  }
  const listFailed = (token = lead.token) => api(t.baseUrl, 'GET', '/api/admin/notifications/failed', { token });
  const act = (id: string, action: 'retry' | 'dismiss', token = lead.token) =>
    api(t.baseUrl, 'POST', `/api/admin/notifications/failed/${id}/${action}`, { token });
  const auditOf = (id: string) =>
    t.database.db.auditLog.findMany({ where: { targetType: 'NotificationOutbox', targetId: id } });

  it('lists a failed notification with its channel, attempts and error code, and nothing personal', async () => {
    const { user, conversationId, id } = await failedNotification();
    const listed = await listFailed();
    expect(listed.status).toBe(200);
    const item = listed.json.items.find((entry: { id: string }) => entry.id === id);
    expect(item).toEqual({
      id,
      conversationId,
      userId: user.userId,
      channels: ['email'],
      deliveredChannels: [],
      attempts: 1,
      lastError: 'EMAIL_550',
      createdAt: expect.any(String),
      failedAt: expect.any(String),
    });
    expect(listed.json.total).toBeGreaterThanOrEqual(1);
    expect(listed.text).not.toContain('@');
    expect(listed.text).not.toContain(BODY);
    expect((await listFailed(agent.token)).status).toBe(403);
    expect((await listFailed(user.token)).status).toBe(403);
  });

  it('Retry re-queues the notification, audited with ids only, and it is delivered once', async () => {
    const { conversationId, id } = await failedNotification();
    expect((await act(id, 'retry', agent.token)).status).toBe(403);

    const retried = await act(id, 'retry');
    expect(retried.status).toBe(200);
    expect(retried.json).toEqual({ id, outcome: 'requeued' });
    const [row] = await t.database.db.notificationOutbox.findMany({ where: { conversationId } });
    // Waiting unclaimed and due, like a row whose lease ended.
    expect(row).toMatchObject({ status: 'sending', attempts: 0, lastError: null, claimToken: null });
    expect(row?.dueAt.getTime()).toBeLessThanOrEqual(Date.now());
    const [audit] = await auditOf(id);
    expect(audit).toMatchObject({ action: 'NOTIFICATION_RETRIED', actorId: lead.userId });
    expect(audit?.metadata).toEqual({ conversationId, userId: row?.userId, reason: 'requeued' });
    expect((await listFailed()).json.items.map((entry: { id: string }) => entry.id)).not.toContain(id);

    await t.notificationWorker.runOnce();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.headers.get('x-notification-id')).toBe(id);
    expect((await t.database.db.notificationOutbox.findUnique({ where: { id } }))?.status).toBe('sent');

    const again = await act(id, 'retry');
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe(ErrorCode.NOTIFICATION_NOT_FAILED);
    expect((await act(randomUUID(), 'retry')).status).toBe(404);
    const malformed = await act('not-an-id', 'retry');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('Retry while a newer notification for the conversation waits folds into it: one e-mail', async () => {
    const { conversationId, id } = await failedNotification();
    // A newer reply, not yet due: its pending row is the one to carry both.
    await t.database.db.setting.update({ where: { key: 'notifications.delaySeconds' }, data: { value: 3600 } });
    try {
      await reply(conversationId);
    } finally {
      await t.database.db.setting.update({ where: { key: 'notifications.delaySeconds' }, data: { value: 0 } });
    }
    const retried = await act(id, 'retry');
    expect(retried.json).toEqual({ id, outcome: 'merged' });
    const rows = await t.database.db.notificationOutbox.findMany({
      where: { conversationId },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows).toMatchObject([
      { id, status: 'skipped', lastError: 'RETRIED_IN_NEWER' },
      { status: 'pending', messageCount: 2 },
    ]);
    expect(rows[1]?.dueAt.getTime()).toBeLessThanOrEqual(Date.now());

    await t.notificationWorker.runOnce();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.text).toContain('2 new replies');
  });

  it('a reply after a retry starts its own notification, which every channel delivers', async () => {
    const { conversationId, id } = await failedNotification();
    // As if e-mail had taken it and push had failed for good.
    await t.database.db.notificationOutbox.update({
      where: { id },
      data: { deliveredChannels: ['email'], lastError: 'PUSH_503' },
    });
    expect((await act(id, 'retry')).json).toEqual({ id, outcome: 'requeued' });
    await reply(conversationId);
    const rows = await t.database.db.notificationOutbox.findMany({
      where: { conversationId },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((row) => row.status)).toEqual(['sending', 'pending']);

    await t.notificationWorker.runOnce();
    // The new reply's e-mail goes out; the retried one is not e-mailed twice.
    expect(smtp.messages.map((mail) => mail.headers.get('x-notification-id'))).toEqual([rows[1]?.id]);
    expect(await t.database.db.notificationOutbox.findUnique({ where: { id } })).toMatchObject({ status: 'sent' });
  });

  it('Dismiss takes it off the list without sending, audited; only leads may', async () => {
    const { conversationId, id } = await failedNotification();
    expect((await act(id, 'dismiss', agent.token)).status).toBe(403);
    const dismissed = await act(id, 'dismiss');
    expect(dismissed.status).toBe(200);
    expect(dismissed.json).toEqual({ id, outcome: 'dismissed' });
    expect(await t.database.db.notificationOutbox.findUnique({ where: { id } })).toMatchObject({
      status: 'skipped',
      lastError: 'DISMISSED',
    });
    expect((await listFailed()).json.items.map((entry: { id: string }) => entry.id)).not.toContain(id);
    const [audit] = await auditOf(id);
    expect(audit).toMatchObject({ action: 'NOTIFICATION_DISMISSED', metadata: { conversationId } });

    await t.notificationWorker.runOnce();
    expect(smtp.messages).toHaveLength(0);
    const again = await act(id, 'dismiss');
    expect(again.json.error.code).toBe(ErrorCode.NOTIFICATION_NOT_FAILED);
    expect((await act(randomUUID(), 'dismiss')).status).toBe(404);
  });

  it('prunes finished rows after 30 days and keeps newer and unfinished ones', async () => {
    const { conversationId, id } = await failedNotification();
    const [message] = await t.database.db.supportMessage.findMany({ where: { conversationId }, take: 1 });
    const userId = (await t.database.db.notificationOutbox.findUniqueOrThrow({ where: { id } })).userId;
    const old = new Date(Date.now() - 31 * 86_400_000);
    const row = (status: 'sent' | 'failed' | 'skipped' | 'pending', updatedAt: Date) => ({
      conversationId,
      userId,
      lastMessageId: message?.id as string,
      status,
      dueAt: status === 'pending' ? new Date(Date.now() + 3600_000) : updatedAt,
      updatedAt,
    });
    const created = await Promise.all(
      [row('sent', old), row('failed', old), row('skipped', old), row('pending', old)].map((data) =>
        t.database.db.notificationOutbox.create({ data }),
      ),
    );
    expect(await t.notificationWorker.prune()).toBe(3);
    const left = await t.database.db.notificationOutbox.findMany({ where: { conversationId } });
    expect(left.map((r) => r.id).sort()).toEqual([id, created[3]?.id].sort());
  });
});
