/// <reference lib="dom" />
// The admin dashboard in Chromium against the real server (spec sections 4, 6 and 8).
import { expect, test } from '@playwright/test';
import { makeLargePng, makePdf, makePng } from '../../test/helpers/files.js';
import { apiAs, DEFAULT_SETTINGS, marker, screenshot, signIn } from '../helpers.js';

test.describe('admin dashboard', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('a message arrives live, is read, answered and delivered; search and filters narrow the list', async ({
    page,
    request,
    browser,
  }) => {
    await signIn(page, 'support@demo.test');
    await expect(page).toHaveURL(/\/admin\/support-chat$/);
    const inbox = page.getByRole('list', { name: 'Conversations' });
    await expect(inbox.getByRole('button').first()).toBeVisible();

    // A customer writes through the API: the conversation appears at the top, unread, without a reload.
    const customer = await apiAs(request, 'customer3@demo.test');
    const text = marker('Driver left my order at the wrong door');
    const created = await customer.call('POST', '/api/support/conversations', {
      subject: 'Wrong address',
      message: { body: text },
    });
    expect(created.status).toBe(201);
    const conversationId = created.json.conversation.id as string;
    const row = inbox.getByRole('button').first();
    await expect(row).toContainText('Olivia Brown');
    await expect(row).toContainText(text);
    await expect(row).toContainText('1 unread message');
    await expect(page).toHaveTitle(/^\(\d+\) Support chat$/);

    // Opening it shows the message, clears the badge and tells the customer it was read.
    await row.click();
    await expect(page).toHaveURL(new RegExp(`/admin/support-chat/${conversationId}$`));
    const thread = page.getByRole('log', { name: /Messages with Olivia Brown/ });
    await expect(thread).toContainText(text);
    await expect(row).not.toContainText('unread message');
    await expect
      .poll(
        async () =>
          (await customer.call('GET', `/api/support/conversations/${conversationId}/messages`)).json.items[0].read,
      )
      .toBe(true);
    await expect(page.getByRole('complementary', { name: 'User details' })).toContainText('customer3@demo.test');

    // The customer watches the chat in their own browser while support replies.
    const customerContext = await browser.newContext({ viewport: { width: 375, height: 667 } });
    const customerPage = await customerContext.newPage();
    await signIn(customerPage, 'customer3@demo.test');
    await customerPage.goto(`/customer/help/chat/${conversationId}`);
    await expect(customerPage.getByRole('log')).toContainText(text);

    const reply = marker('Sorry about that, Olivia. I am sending a refund now');
    // The admin composer is a combobox: "/" opens the saved replies.
    const composer = page.getByRole('combobox', { name: 'Message' });
    await composer.fill(reply);
    await composer.press('Enter');
    await expect(thread).toContainText(reply);
    await expect(customerPage.getByRole('log')).toContainText(reply);
    // The customer's page marks it read; the admin sees the read tick on their own message.
    await expect(thread.getByText('Read', { exact: true }).last()).toBeAttached();
    await customerContext.close();

    // Search by name and by phone digits, and the user-type filter, narrow the list.
    const search = page.getByRole('searchbox', { name: /Search by name/ });
    await search.fill('olivia');
    await expect(inbox.getByRole('button')).toHaveCount(1);
    await expect(inbox).toContainText('Olivia Brown');
    await search.fill('7700900203');
    await expect(inbox.getByRole('button')).toHaveCount(1);
    await search.fill('');
    await page.getByLabel('User type').selectOption('driver');
    await expect(inbox.getByRole('button').first()).toBeVisible();
    for (const text of await inbox.getByRole('button').allTextContents()) expect(text).toContain('Driver');
    await page.getByLabel('User type').selectOption('');

    // The first reply assigned the conversation to the agent who wrote it; resolve and reopen.
    await expect(page.getByText('Assigned to you')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);
    await screenshot(page, 'admin-dashboard');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
    await page.getByRole('button', { name: 'Reopen' }).click();
    await expect(page.getByRole('button', { name: 'Resolve' })).toBeVisible();
  });

  test('snooze for a few seconds: the conversation leaves the Open view, then wakes and comes back live', async ({
    page,
    request,
  }) => {
    const driver = await apiAs(request, 'driver3@demo.test');
    const text = marker('Please call me back later');
    const created = await driver.call('POST', '/api/support/conversations', {
      subject: 'Call back',
      message: { body: text },
    });
    expect(created.status).toBe(201);
    await signIn(page, 'support@demo.test');
    await page.goto(`/admin/support-chat/${created.json.conversation.id}`);
    const inbox = page.getByRole('list', { name: 'Conversations' });
    const row = inbox.getByRole('button', { name: new RegExp(text) });
    await expect(row).toBeVisible();

    await page.getByLabel('Priority', { exact: true }).selectOption('high');
    await expect(row).toContainText('High');

    // A custom time 4 s ahead, typed in the agent's own (browser) timezone.
    await page.getByRole('button', { name: 'Status ▾' }).click();
    await page.getByRole('menuitem', { name: /Snooze/ }).click();
    await page.getByRole('menuitem', { name: 'Custom time…' }).click();
    const until = await page.evaluate(() => {
      const d = new Date(Date.now() + 4000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    });
    await page.getByLabel('Snooze until (your time)').fill(until);
    await page.getByRole('button', { name: 'Snooze', exact: true }).click();
    await expect(page.getByText(/^Snoozed until/).first()).toBeVisible();
    await expect(row).toHaveCount(0);

    // The server wakes it (no reload): back in the Open view, open again in the header.
    await expect(row).toBeVisible({ timeout: 15_000 });
    await expect(row).toContainText('Open');
    await expect(page.getByText(/^Snoozed until/)).toHaveCount(0);
  });

  test('uploads an image and a PDF, previews the image and downloads the PDF through a signed URL', async ({
    page,
    request,
  }) => {
    const driver = await apiAs(request, 'driver2@demo.test');
    const created = await driver.call('POST', '/api/support/conversations', { subject: 'Damaged bag' });
    await signIn(page, 'support@demo.test');
    await page.goto(`/admin/support-chat/${created.json.conversation.id}`);
    const thread = page.getByRole('log', { name: /Messages with Jamie Chen/ });
    const fileInput = page.locator('input[type=file]');

    await fileInput.setInputFiles({ name: 'bag-photo.png', mimeType: 'image/png', buffer: await makePng(400, 300) });
    const thumbnail = thread.getByRole('button', { name: 'Open image bag-photo.png' });
    await expect(thumbnail).toBeVisible();
    await expect(thumbnail.locator('img')).toHaveJSProperty('complete', true);
    await thumbnail.click();
    const preview = page.getByRole('dialog');
    await expect(preview.getByRole('img', { name: 'bag-photo.png' })).toBeVisible();
    expect(await preview.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(400);
    await preview.getByRole('button', { name: 'Close preview' }).click();

    await fileInput.setInputFiles({ name: 'delivery-note.pdf', mimeType: 'application/pdf', buffer: makePdf(2000) });
    const download = thread.getByRole('link', { name: 'Download delivery-note.pdf' });
    await expect(download).toBeVisible();
    const href = await download.getAttribute('href');
    expect(href).toMatch(/^\/api\/documents\/[A-Za-z0-9_-]{43}\?exp=\d+&disp=a&sig=/);
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe('delivery-note.pdf');
    expect((await file.createReadStream()) !== null).toBe(true);
    // The link is signed: the same path without its signature is refused.
    expect((await request.get((href ?? '').split('?')[0] ?? '')).status()).toBe(403);
    // And the driver sees both files in their chat.
    const history = await driver.call('GET', `/api/support/conversations/${created.json.conversation.id}/messages`);
    expect(history.json.items.map((m: { messageType: string }) => m.messageType)).toEqual(['file', 'image']);
  });

  test('an admin without SUPPORT_CHAT is refused, by the page and by the API', async ({ page, request }) => {
    await signIn(page, 'viewer@demo.test');
    await page.goto('/admin/support-chat');
    await expect(page.getByRole('heading', { name: "You don't have access to Support chat" })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Admin' })).not.toContainText('Support chat');
    const viewer = await apiAs(request, 'viewer@demo.test');
    expect((await viewer.call('GET', '/api/admin/support/conversations')).status).toBe(403);
  });

  test('support settings: saving a lower size limit makes an oversize upload fail with a visible message', async ({
    page,
    request,
  }) => {
    const lead = await apiAs(request, 'lead@demo.test');
    try {
      await signIn(page, 'lead@demo.test');
      await page.getByRole('link', { name: /Settings/ }).click();
      await expect(page).toHaveURL(/\/admin\/settings\/support$/);
      const size = page.getByLabel(/Maximum attachment size/);
      await size.fill('0');
      await page.getByRole('button', { name: /Save/ }).click();
      await expect(page.getByText(/at least 1 MB/)).toBeVisible();
      await size.fill('1');
      await page.getByRole('button', { name: /Save/ }).click();
      await expect(page.getByText('Settings saved.')).toBeVisible();
      expect((await lead.call('GET', '/api/admin/settings/support')).json.maxAttachmentSizeMB).toBe(1);
      await screenshot(page, 'admin-settings-support');

      const customer = await apiAs(request, 'customer2@demo.test');
      const created = await customer.call('POST', '/api/support/conversations', { subject: 'Receipt' });
      await page.goto(`/admin/support-chat/${created.json.conversation.id}`);
      await page.locator('input[type=file]').setInputFiles({
        name: 'huge-scan.png',
        mimeType: 'image/png',
        buffer: await makeLargePng(1.5 * 1024 * 1024),
      });
      await expect(page.getByRole('alert')).toContainText(/1 MB/);
      expect(
        (await customer.call('GET', `/api/support/conversations/${created.json.conversation.id}/messages`)).json.items,
      ).toEqual([]);
    } finally {
      await lead.call('PUT', '/api/admin/settings/support', DEFAULT_SETTINGS);
    }
  });
});
