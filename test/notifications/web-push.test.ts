// Web push through a local push service that checks the VAPID signature and decrypts the payload
// with the subscription's keys: opt-in, delivery, a device the service calls gone (410), a failing
// service (retry), unsubscribe and the push preference, and the endpoint allow-list (SSRF).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/errors.js';
import { DEFAULT_PUSH_ENDPOINT_HOSTS, isAllowedPushEndpoint } from '../../server/notifications/push-endpoints.js';
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
      // The local push service; every other host is refused.
      PUSH_ENDPOINT_HOSTS: '127.0.0.1',
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
      body: { endpoint: 'not a url', keys: { p256dh: 'x'.repeat(30), auth: 'y'.repeat(10) } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe(ErrorCode.VALIDATION_FAILED);
    const asAgent = await api(t.baseUrl, 'POST', '/api/notifications/push/subscriptions', {
      token: agent.token,
      body: push.subscribe().json,
    });
    expect(asAgent.status).toBe(403);
  });

  it('refuses to store an endpoint outside the push-service allow-list (400), and stores nothing', async () => {
    const user = await createUser(t.database.db, t.services.tokens, 'driver');
    const keys = push.subscribe().json.keys;
    for (const endpoint of [
      'https://169.254.169.254/latest/meta-data',
      'http://10.0.0.1/internal',
      'https://localhost:8443/push',
      'https://127.0.0.1.evil.test/push',
      'https://user:secret@127.0.0.1/push',
      'ftp://127.0.0.1/push',
    ]) {
      const refused = await api(t.baseUrl, 'POST', '/api/notifications/push/subscriptions', {
        token: user.token,
        body: { endpoint, keys },
      });
      expect(refused.status, endpoint).toBe(400);
      expect(refused.json.error.code, endpoint).toBe(ErrorCode.PUSH_ENDPOINT_NOT_ALLOWED);
    }
    expect(await t.database.db.pushSubscription.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('never posts to a stored device the allow-list no longer covers, and removes that device', async () => {
    const { user } = await subscribedUser();
    await replyTo(user);
    // The list changes after the device subscribed (e.g. PUSH_ENDPOINT_HOSTS at the next start).
    const policy = t.config.notifications.pushEndpoints;
    const hosts = policy.hosts;
    policy.hosts = ['fcm.googleapis.com'];
    try {
      await t.notificationWorker.runOnce();
    } finally {
      policy.hosts = hosts;
    }
    // Nothing reached the push service, not even a rejected request.
    expect(push.received).toEqual([]);
    expect(push.rejected).toEqual([]);
    expect(await t.database.db.pushSubscription.count({ where: { userId: user.userId } })).toBe(0);
  });
});

describe('push endpoint allow-list', () => {
  const defaults = { hosts: DEFAULT_PUSH_ENDPOINT_HOSTS };

  it('by default allows the browser push services, over https only', () => {
    for (const endpoint of [
      'https://fcm.googleapis.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/abc',
      'https://wns2-db5p.notify.windows.com/w/?token=abc',
      'https://web.push.apple.com/abc',
      'https://api.push.apple.com/3/device/abc',
    ]) {
      expect(isAllowedPushEndpoint(endpoint, defaults), endpoint).toBe(true);
    }
    for (const endpoint of [
      'http://fcm.googleapis.com/fcm/send/abc',
      'https://fcm.googleapis.com.evil.test/abc',
      'https://evilfcm.googleapis.com/abc',
      'https://notify.windows.com/abc',
      'https://push.apple.com.evil.test/abc',
      'https://metadata.google.internal/computeMetadata/v1',
      'https://[::1]/push',
      'not a url',
    ]) {
      expect(isAllowedPushEndpoint(endpoint, defaults), endpoint).toBe(false);
    }
  });

  it('takes exact hosts and "*." wildcards from the configured list', () => {
    const configured = { hosts: ['127.0.0.1', '*.corp.test'] };
    expect(isAllowedPushEndpoint('https://127.0.0.1:9000/push', configured)).toBe(true);
    expect(isAllowedPushEndpoint('https://push.corp.test/x', configured)).toBe(true);
    expect(isAllowedPushEndpoint('https://corp.test/x', configured)).toBe(false);
    expect(isAllowedPushEndpoint('http://127.0.0.1:9000/push', configured)).toBe(false);
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', configured)).toBe(false);
  });
});
