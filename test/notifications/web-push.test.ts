// Web push through a local push service that checks the VAPID signature and decrypts the payload
// with the subscription's keys: opt-in, delivery, a device the service calls gone (410), a failing
// service (retry), unsubscribe and the push preference.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { startTestPushService, type TestPushService } from '../helpers/push-service.js';

describe('web push notifications', () => {
  let t: TestApp;
  let push: TestPushService;
  let agent: TestAdmin;

  beforeAll(async () => {
    push = await startTestPushService();
    t = await startTestApp({
      PUBLIC_URL: 'https://chat.acme.test',
      VAPID_SUBJECT: 'mailto:ops@acme.test',
      NOTIFICATION_POLL_INTERVAL_MS: '600000',
      NOTIFICATION_RETRY_BASE_MS: '10',
    });
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Bob Agent');
    await t.database.db.setting.create({ data: { key: 'notifications.delaySeconds', value: 0 } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await push?.close();
  });
  beforeEach(() => {
    push.received.length = 0;
    push.rejected.length = 0;
  });

  async function subscribedUser() {
    const user = await createUser(t.database.db, t.services.tokens, 'customer');
    const subscription = push.subscribe();
    const stored = await api(t.baseUrl, 'POST', '/api/notifications/push/subscriptions', {
      token: user.token,
      body: subscription.json,
    });
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({ push: true, pushAvailable: true, pushDevices: 1, emailAvailable: false });
    return { user, subscription };
  }
  async function replyTo(user: TestUser) {
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { subject: 'Late order' },
    });
    const conversationId = created.json.conversation.id as string;
    await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: agent.token,
      body: { body: 'Your courier is two minutes away' },
    });
    return conversationId;
  }

  it('a subscribed device gets a signed, encrypted push that opens the conversation', async () => {
    const key = await api(t.baseUrl, 'GET', '/api/notifications/push/public-key', {
      token: (await createUser(t.database.db, t.services.tokens, 'driver')).token,
    });
    expect(key.json.publicKey).toBe(t.config.notifications.vapid?.publicKey);
    const { user, subscription } = await subscribedUser();
    const conversationId = await replyTo(user);
    await t.notificationWorker.runOnce();

    expect(push.rejected).toEqual([]);
    expect(push.received).toHaveLength(1);
    const [received] = push.received;
    const [row] = await t.database.db.notificationOutbox.findMany({ where: { conversationId } });
    expect(received?.subscriptionId).toBe(subscription.id);
    expect(received?.vapidKey).toBe(key.json.publicKey);
    expect(received?.jwtClaims).toMatchObject({ aud: push.origin, sub: 'mailto:ops@acme.test' });
    expect(received?.headers.topic).toBe(row?.id.replaceAll('-', ''));
    expect(received?.payload).toEqual({
      title: 'Bob Agent replied',
      body: 'About: Late order',
      url: `https://chat.acme.test/customer/help/chat/${conversationId}`,
      tag: `conversation-${conversationId}`,
      notificationId: row?.id,
    });
    expect(row).toMatchObject({ status: 'sent', deliveredChannels: ['push'] });
  });

  it('a device the push service calls gone (410) is removed', async () => {
    const { user, subscription } = await subscribedUser();
    push.answer.set(subscription.id, 410);
    await replyTo(user);
    await t.notificationWorker.runOnce();
    expect(await t.database.db.pushSubscription.count({ where: { userId: user.userId } })).toBe(0);
    const prefs = await api(t.baseUrl, 'GET', '/api/notifications/preferences', { token: user.token });
    expect(prefs.json.pushDevices).toBe(0);
  });

  it('a failing push service is retried later, and the device is kept', async () => {
    const { user, subscription } = await subscribedUser();
    push.answer.set(subscription.id, 503);
    const conversationId = await replyTo(user);
    await t.notificationWorker.runOnce();
    const [row] = await t.database.db.notificationOutbox.findMany({ where: { conversationId } });
    expect(row).toMatchObject({ status: 'sending', lastError: 'PUSH_503', attempts: 1 });
    expect(await t.database.db.pushSubscription.count({ where: { userId: user.userId } })).toBe(1);

    push.answer.delete(subscription.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.notificationWorker.runOnce();
    expect(push.received).toHaveLength(1);
  });

  it('unsubscribing or turning push off stops pushes', async () => {
    const first = await subscribedUser();
    const removed = await api(t.baseUrl, 'DELETE', '/api/notifications/push/subscriptions', {
      token: first.user.token,
      body: { endpoint: first.subscription.json.endpoint },
    });
    expect(removed.json.pushDevices).toBe(0);
    const second = await subscribedUser();
    await api(t.baseUrl, 'PUT', '/api/notifications/preferences', { token: second.user.token, body: { push: false } });
    const secondConversation = await replyTo(second.user);
    const info = await api(t.baseUrl, 'GET', `/api/admin/support/conversations/${secondConversation}/notifications`, {
      token: agent.token,
    });
    expect(info.json.channels).toEqual({ email: false, push: false, pushDevices: 1 });
    await replyTo(first.user);
    await t.notificationWorker.runOnce();
    expect(push.received).toHaveLength(0);
  });

  it('refuses malformed subscriptions and non-users', async () => {
    const user = await createUser(t.database.db, t.services.tokens, 'driver');
    const bad = await api(t.baseUrl, 'POST', '/api/notifications/push/subscriptions', {
      token: user.token,
      body: { endpoint: 'http://10.0.0.1/internal', keys: { p256dh: 'x'.repeat(30), auth: 'y'.repeat(10) } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe(ErrorCode.VALIDATION_FAILED);
    const asAgent = await api(t.baseUrl, 'POST', '/api/notifications/push/subscriptions', {
      token: agent.token,
      body: push.subscribe().json,
    });
    expect(asAgent.status).toBe(403);
  });
});
