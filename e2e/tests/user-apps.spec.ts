/// <reference lib="dom" />
// The driver, customer and restaurant apps at a phone's size (spec sections 5 and 8): the entry
// point in each app's menu, a new conversation, text, an image and a PDF, a live reply from support,
// a refused oversize file, and no way into someone else's conversation.
import { expect, type Page, test } from '@playwright/test';
import { makeLargePng, makePdf, makePng } from '../../test/helpers/files.js';
import { apiAs, DEFAULT_SETTINGS, marker, screenshot, signIn } from '../helpers.js';

type App = {
  name: 'driver' | 'customer' | 'restaurant';
  email: string;
  /** Another user of the same app, whose conversation must stay out of reach. */
  otherEmail: string;
  home: string;
  chatPath: string;
  openEntryPoint: (page: Page) => Promise<void>;
};

const APPS: App[] = [
  {
    name: 'driver',
    email: 'driver3@demo.test',
    otherEmail: 'driver@demo.test',
    home: '/driver',
    chatPath: '/driver/support',
    openEntryPoint: async (page) => {
      await page.getByRole('button', { name: /Menu/ }).click();
      await page
        .getByRole('dialog', { name: 'Menu' })
        .getByRole('link', { name: /Support Chat/ })
        .click();
    },
  },
  {
    name: 'customer',
    email: 'customer2@demo.test',
    otherEmail: 'customer@demo.test',
    home: '/customer',
    chatPath: '/customer/help/chat',
    openEntryPoint: async (page) => {
      await page.getByRole('banner').getByRole('link', { name: /^Help/ }).click();
      await page.getByRole('link', { name: /Chat Support/ }).click();
    },
  },
  {
    name: 'restaurant',
    email: 'restaurant2@demo.test',
    otherEmail: 'restaurant@demo.test',
    home: '/restaurant',
    chatPath: '/restaurant/help/chat',
    openEntryPoint: async (page) => {
      await page.getByRole('banner').getByRole('link', { name: /^Help/ }).click();
      await page.getByRole('link', { name: /Chat Support/ }).click();
    },
  },
];

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

test.describe('user apps on a phone', () => {
  test.use({ viewport: { width: 375, height: 667 }, hasTouch: true, isMobile: true });

  for (const app of APPS) {
    test(`${app.name}: menu entry, new conversation, text, image, PDF and a live reply`, async ({ page, request }) => {
      await signIn(page, app.email);
      await expect(page).toHaveURL(new RegExp(`${app.home}$`));
      await app.openEntryPoint(page);
      await expect(page).toHaveURL(new RegExp(`${app.chatPath}$`));
      expect(await noHorizontalScroll(page)).toBe(true);

      await page.getByRole('link', { name: 'New' }).click();
      const first = marker('Hello support, I need help with my account');
      await page.getByLabel(/Topic/).fill('Account question');
      await page.getByLabel(/How can we help/).fill(first);
      await page.getByRole('button', { name: 'Start chat' }).click();
      await expect(page).toHaveURL(new RegExp(`${app.chatPath}/[0-9a-f-]{36}$`));
      const conversationId = page.url().split('/').at(-1) ?? '';
      const log = page.getByRole('log', { name: 'Messages with support' });
      await expect(log).toContainText(first);

      const composer = page.getByRole('textbox', { name: 'Message' });
      const second = marker('Adding a photo and the receipt');
      await composer.fill(second);
      await composer.press('Enter');
      await expect(log).toContainText(second);

      const fileInput = page.locator('input[type=file]');
      await fileInput.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await makePng(320, 240) });
      await expect(log.getByRole('button', { name: 'Open image photo.png' })).toBeVisible();
      await fileInput.setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: makePdf(500) });
      await expect(log.getByRole('link', { name: 'Download receipt.pdf' })).toBeVisible();

      // Support answers through the API; the reply shows up without a reload.
      const support = await apiAs(request, 'support@demo.test');
      const reply = marker(`Thanks! Looking into it now`);
      expect(
        (await support.call('POST', `/api/support/conversations/${conversationId}/messages`, { body: reply })).status,
      ).toBe(201);
      await expect(log).toContainText(reply);
      await expect(page.getByText('Sofia Reyes from Support')).toBeVisible();
      expect(await noHorizontalScroll(page)).toBe(true);
      // Tap targets of the chat controls are at least 44 px.
      for (const control of [
        page.getByRole('button', { name: 'Attach a photo or file' }),
        page.getByRole('button', { name: 'Send message' }),
      ]) {
        const box = await control.boundingBox();
        expect(Math.min(box?.width ?? 0, box?.height ?? 0)).toBeGreaterThanOrEqual(44);
      }
      await screenshot(page, `user-${app.name}-chat-375`);
      const stored = await support.call('GET', `/api/support/conversations/${conversationId}/messages`);
      expect(
        stored.json.items.map((m: { messageType: string; senderType: string }) => `${m.senderType}:${m.messageType}`),
      ).toEqual(['admin:text', 'user:file', 'user:image', 'user:text', 'user:text']);
    });

    test(`${app.name}: an oversize file is refused with a message, and other users' conversations stay closed`, async ({
      page,
      request,
    }) => {
      const lead = await apiAs(request, 'lead@demo.test');
      const other = await apiAs(request, app.otherEmail);
      const theirs = await other.call('POST', '/api/support/conversations', { subject: 'Private' });
      const me = await apiAs(request, app.email);
      const mine = await me.call('POST', '/api/support/conversations', { subject: 'Big file' });
      try {
        expect(
          (await lead.call('PUT', '/api/admin/settings/support', { ...DEFAULT_SETTINGS, maxAttachmentSizeMB: 1 }))
            .status,
        ).toBe(200);
        await signIn(page, app.email);
        await page.goto(`${app.chatPath}/${mine.json.conversation.id}`);
        await page.locator('input[type=file]').setInputFiles({
          name: 'scan.png',
          mimeType: 'image/png',
          buffer: await makeLargePng(1.5 * 1024 * 1024),
        });
        await expect(page.getByRole('alert')).toContainText('at most 1 MB');
        expect(
          (await me.call('GET', `/api/support/conversations/${mine.json.conversation.id}/messages`)).json.items,
        ).toEqual([]);

        await page.goto(`${app.chatPath}/${theirs.json.conversation.id}`);
        await expect(page.getByText('This conversation is not available.')).toBeVisible();
        await expect(page.getByRole('log')).toHaveCount(0);
        expect((await me.call('GET', `/api/support/conversations/${theirs.json.conversation.id}`)).status).toBe(404);
      } finally {
        await lead.call('PUT', '/api/admin/settings/support', DEFAULT_SETTINGS);
      }
    });
  }
});
