/// <reference lib="dom" />
// Internal notes and @mentions in Chromium against the real server: an agent writes a note that
// mentions a colleague; the colleague's browser alerts at once and lists it under Mentions; the
// customer's browser never shows the note while the agent's normal reply does arrive.
import { expect, test } from '@playwright/test';
import { apiAs, marker, screenshot, signIn } from '../helpers.js';

test.describe('internal notes and mentions', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('a note mentions a colleague live and never reaches the customer; the reply does', async ({
    page,
    request,
    browser,
  }) => {
    const customer = await apiAs(request, 'customer2@demo.test');
    const question = marker('My voucher code is not accepted');
    const created = await customer.call('POST', '/api/support/conversations', {
      subject: 'Voucher',
      message: { body: question },
    });
    expect(created.status).toBe(201);
    const conversationId = created.json.conversation.id as string;

    // The customer (phone) and the lead (a second agent) each in their own browser.
    const customerContext = await browser.newContext({ viewport: { width: 375, height: 667 } });
    const customerPage = await customerContext.newPage();
    await signIn(customerPage, 'customer2@demo.test');
    await customerPage.goto(`/customer/help/chat/${conversationId}`);
    await expect(customerPage.getByRole('log')).toContainText(question);
    const leadContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const leadPage = await leadContext.newPage();
    await signIn(leadPage, 'lead@demo.test');
    await leadPage.goto('/admin/support-chat');
    await expect(leadPage.getByRole('tab', { name: 'Mentions' })).toBeVisible();

    // Sofia writes a note, picking Marcus from the @ autocomplete.
    await signIn(page, 'support@demo.test');
    await page.goto(`/admin/support-chat/${conversationId}`);
    const thread = page.getByRole('log', { name: /Messages with/ });
    await expect(thread).toContainText(question);
    await page.getByRole('tab', { name: 'Note' }).click();
    const noteBox = page.getByRole('combobox', { name: 'Internal note' });
    await noteBox.pressSequentially('Checked the voucher system: this code expired yesterday. @Mar');
    await page.getByRole('option', { name: '@Marcus Lee' }).click();
    await noteBox.pressSequentially('can we honour it anyway?');
    const noteText = 'Checked the voucher system: this code expired yesterday. @Marcus Lee can we honour it anyway?';
    await expect(noteBox).toHaveValue(noteText);
    await noteBox.press('Enter');
    const note = thread.getByTestId('note-bubble');
    await expect(note).toContainText('Internal note');
    await expect(note).toContainText(noteText);
    await screenshot(page, 'notes-admin-1440');

    // Marcus is alerted at once and finds it under Mentions, unread; opening it reads it.
    const alert = leadPage.getByTestId('mention-alert');
    await expect(alert).toContainText("Sofia Reyes mentioned you in a note on Liam Patel's conversation");
    await leadPage.getByRole('tab', { name: 'Mentions' }).click();
    const mentions = leadPage.getByRole('list', { name: 'Conversations that mention you' });
    await expect(mentions.getByRole('button').first()).toContainText('Liam Patel');
    await expect(mentions.getByRole('button').first()).toContainText('1 unread mention');
    await screenshot(leadPage, 'mentions-1440');
    await leadPage.setViewportSize({ width: 375, height: 720 });
    await screenshot(leadPage, 'mentions-375');
    await leadPage.setViewportSize({ width: 1440, height: 900 });
    await alert.getByRole('button', { name: 'Open' }).click();
    await expect(leadPage).toHaveURL(new RegExp(`/admin/support-chat/${conversationId}$`));
    await expect(leadPage.getByTestId('note-bubble')).toContainText(noteText);
    await expect(mentions.getByRole('button').first()).not.toContainText('unread mention');
    await leadContext.close();

    // A normal reply reaches the customer; the note never does.
    await page.getByRole('tab', { name: 'Reply' }).click();
    const reply = marker('That code expired, but I have added the discount to your next order');
    // The admin composer is a combobox: "/" opens the saved replies.
    const composer = page.getByRole('combobox', { name: 'Message' });
    await composer.fill(reply);
    await composer.press('Enter');
    await expect(customerPage.getByRole('log')).toContainText(reply);
    await expect(customerPage.locator('body')).not.toContainText('voucher system');
    await expect(customerPage.getByText('Internal note')).toHaveCount(0);
    // Also after a reload (the catch-up and the history from the API).
    await customerPage.reload();
    await expect(customerPage.getByRole('log')).toContainText(reply);
    await expect(customerPage.locator('body')).not.toContainText('voucher system');
    await customerContext.close();

    await page.getByRole('tab', { name: 'Note' }).click();
    await page.setViewportSize({ width: 375, height: 720 });
    await expect(note).toBeVisible();
    await screenshot(page, 'notes-admin-375');
  });
});
