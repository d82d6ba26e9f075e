/// <reference lib="dom" />
// Agents' alerts in Chromium against the real server: the agent enables browser notifications
// from the Alerts menu (the browser grants the permission; an init script records every
// `new Notification`), a customer writes into the agent's conversation while the agent reads
// another one: a notification and "(1) Support chat"; a message into the conversation on screen
// raises nothing; a channel switched off stays off after a reload (it is stored on the server).
import { expect, type Page, test } from '@playwright/test';
import { apiAs, marker, screenshot, signIn } from '../helpers.js';

declare global {
  interface Window {
    __notifications: { title: string; body: string }[];
  }
}

/** Records notifications; the permission reads "default" until the page asks for it. */
function recordNotifications() {
  const Real = window.Notification;
  let permission: NotificationPermission = 'default';
  window.__notifications = [];
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      window.__notifications.push({ title, body: options?.body ?? '' });
    }
    static override get permission() {
      return permission;
    }
    static override async requestPermission() {
      permission = await Real.requestPermission();
      return permission;
    }
  }
  window.Notification = Recorded as typeof Notification;
}

const notifications = (page: Page) => page.evaluate(() => window.__notifications);

test.describe('agent alerts', () => {
  test.use({ viewport: { width: 1440, height: 900 }, permissions: ['notifications'] });

  test('a message in my other conversation notifies and counts in the title; the open one stays quiet; a switch survives a reload', async ({
    page,
    request,
  }) => {
    const agent = await apiAs(request, 'support@demo.test');
    const customer = await apiAs(request, 'restaurant3@demo.test');
    const open = async (subject: string) => {
      const created = await customer.call('POST', '/api/support/conversations', {
        subject,
        message: { body: marker(subject) },
      });
      expect(created.status).toBe(201);
      const id = created.json.conversation.id as string;
      const assigned = await agent.call('POST', `/api/admin/support/conversations/${id}/assign`, {
        adminId: agent.me.adminId,
        force: true,
      });
      expect(assigned.status).toBe(200);
      return id;
    };
    const other = await open('Refund for order 7');
    const onScreen = await open('Cold soup');
    const write = (id: string, text: string) =>
      customer.call('POST', `/api/support/conversations/${id}/messages`, { body: marker(text) });

    await page.addInitScript(recordNotifications);
    await signIn(page, 'support@demo.test');
    await page.goto(`/admin/support-chat/${onScreen}`);
    await expect(page.getByRole('log', { name: /Messages with/ })).toBeVisible();
    await expect(page).toHaveTitle('Support chat');

    // Turn notifications on from the menu (the only place that asks).
    await page.getByRole('button', { name: 'Alerts', exact: true }).click();
    await page.getByRole('button', { name: 'Enable browser notifications' }).click();
    await expect(page.getByTestId('notification-permission')).toHaveText(
      'Browser notifications are on in this browser.',
    );
    await expect(page.getByRole('checkbox', { name: 'Message in my conversation: Notify' })).toBeChecked();
    await screenshot(page, 'alerts-menu');
    await page.keyboard.press('Escape');

    // The customer writes into the other conversation: a notification and the title count.
    expect((await write(other, 'Are you there?')).status).toBe(201);
    await expect(page).toHaveTitle('(1) Support chat');
    await expect
      .poll(() => notifications(page))
      .toEqual([{ title: expect.stringMatching(/^New message from /), body: 'In a conversation assigned to you' }]);

    // Into the conversation on screen: it shows in the thread, and raises nothing.
    const here = marker('Still here');
    expect(
      (await customer.call('POST', `/api/support/conversations/${onScreen}/messages`, { body: here })).status,
    ).toBe(201);
    await expect(page.getByRole('log', { name: /Messages with/ })).toContainText(here);
    await page.waitForTimeout(300);
    expect(await notifications(page)).toHaveLength(1);
    await expect(page).toHaveTitle('(1) Support chat');

    // Reading the other conversation clears the count.
    const inbox = page.getByRole('list', { name: 'Conversations' });
    await inbox.getByRole('button', { name: /Refund for order 7/ }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/support-chat/${other}$`));
    await expect(page).toHaveTitle('Support chat');

    // Switch message notifications off; after a reload the switch is still off and stays silent.
    await page.getByRole('button', { name: 'Alerts', exact: true }).click();
    const notify = page.getByRole('checkbox', { name: 'Message in my conversation: Notify' });
    const saved = page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/admin/support/alert-preferences') && response.request().method() === 'PUT',
    );
    await notify.uncheck();
    expect((await saved).status()).toBe(200);
    await page.goto(`/admin/support-chat/${onScreen}`);
    await page.getByRole('button', { name: 'Alerts', exact: true }).click();
    await expect(page.getByRole('checkbox', { name: 'Message in my conversation: Notify' })).not.toBeChecked();
    await page.keyboard.press('Escape');
    expect((await write(other, 'Hello again?')).status).toBe(201);
    await expect(page).toHaveTitle('(1) Support chat'); // the title channel is still on
    await page.waitForTimeout(300);
    expect(await notifications(page)).toEqual([]); // a new page: nothing since the reload

    // The menu on a phone.
    await page.setViewportSize({ width: 375, height: 720 });
    await page.getByRole('button', { name: 'Alerts', exact: true }).click();
    await expect(page.getByRole('checkbox', { name: 'Mention of me: Tab title' })).toBeVisible();
    await screenshot(page, 'alerts-menu-375');

    // Leave the demo agent as the other tests expect her.
    expect(
      (await agent.call('PUT', '/api/admin/support/alert-preferences', { message: { notification: true } })).status,
    ).toBe(200);
  });
});
