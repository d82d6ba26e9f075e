/// <reference lib="dom" />
// Push notifications in Chromium. The user opts in from the chat ("Notify me of replies"): the
// browser asks for permission and the app registers its service worker (web/public/sw.js). The
// test browser has no push service to subscribe with, so the push itself is handed to the service
// worker through the DevTools protocol (ServiceWorker.deliverPushMessage), in the payload format
// the server sends (server/notifications/channels.ts; the server's side of the delivery, VAPID and
// encryption, is tested against a local push service in test/notifications/web-push.test.ts).
// Proven here: the opt-in registers the worker with notification permission, and a push event
// with the server's payload reaches the worker, which shows the notification and tells open pages.
import { expect, test } from '@playwright/test';
import { signIn } from '../helpers.js';

test('a user opts in to push and the service worker shows the pushed reply', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL ?? '').origin;
  await context.grantPermissions(['notifications'], { origin });
  await signIn(page, 'restaurant3@demo.test');
  await page.goto('/restaurant/help/chat');

  const notifications = page.getByRole('region', { name: 'Notifications' });
  await expect(notifications).toBeVisible();
  await notifications.getByRole('button', { name: 'Notify me of replies' }).click();
  // The worker is registered and active, with permission to show notifications.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration('/sw.js');
        return { active: Boolean(registration?.active), permission: Notification.permission };
      }),
    )
    .toEqual({ active: true, permission: 'granted' });

  // A browser with a push service subscribes (and the chat says push is on); this test browser has
  // none, and the chat says so instead.
  await expect(
    notifications
      .getByText('Push notifications are on for this device.')
      .or(notifications.getByRole('alert').filter({ hasText: 'could not turn on push notifications' })),
  ).toBeVisible();
  // Open pages hear about pushes from the worker.
  await page.evaluate(() => {
    const heard: unknown[] = [];
    (window as unknown as { heardPushes: unknown[] }).heardPushes = heard;
    navigator.serviceWorker.addEventListener('message', (event) => heard.push(event.data));
  });

  const cdp = await context.newCDPSession(page);
  const registrations = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: list }) => {
      const ours = list.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registrations;
  const payload = {
    title: 'Support Agent replied',
    body: 'About: Missing payout',
    url: `${origin}/restaurant/help/chat`,
    tag: 'conversation-e2e',
    notificationId: '00000000-0000-4000-8000-00000000e2e0',
  };
  await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) });

  await expect
    .poll(() => page.evaluate(() => (window as unknown as { heardPushes: unknown[] }).heardPushes))
    .toContainEqual({ type: 'support-push', notificationId: payload.notificationId });
  const shown = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration('/sw.js');
    const list = (await registration?.getNotifications()) ?? [];
    return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
  });
  expect(shown).toContainEqual({ title: payload.title, body: payload.body, tag: payload.tag });
});
