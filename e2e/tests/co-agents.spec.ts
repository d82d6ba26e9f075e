/// <reference lib="dom" />
// Two agents in one conversation, each in their own browser against the real server: each sees
// the other is there, Sofia sees Marcus typing a reply, and Sofia's reply into Marcus's
// conversation asks first and, once confirmed, reaches Marcus (and does not ask again).
import { expect, type Page, test } from '@playwright/test';
import { apiAs, marker, PASSWORD, screenshot } from '../helpers.js';

/** Opens the conversation's page; the login page comes first and returns there. */
async function openAs(page: Page, email: string, conversationId: string, question: string) {
  await page.goto(`/admin/support-chat/${conversationId}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('log', { name: /Messages with/ })).toContainText(question);
}

test.describe('two agents, one conversation', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('presence, a colleague typing, and the confirmed send into their conversation', async ({
    page,
    request,
    browser,
  }) => {
    const customer = await apiAs(request, 'restaurant2@demo.test');
    const question = marker('The rider picked up the wrong bag');
    const created = await customer.call('POST', '/api/support/conversations', {
      subject: 'Wrong bag',
      message: { body: question },
    });
    expect(created.status).toBe(201);
    const conversationId = created.json.conversation.id as string;
    // Marcus has it.
    const lead = await apiAs(request, 'lead@demo.test');
    const assigned = await lead.call('POST', `/api/admin/support/conversations/${conversationId}/assign`, {
      adminId: lead.me.adminId,
      force: true,
    });
    expect(assigned.status).toBe(200);

    const marcusContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const marcusPage = await marcusContext.newPage();
    await Promise.all([
      openAs(marcusPage, 'lead@demo.test', conversationId, question),
      openAs(page, 'support@demo.test', conversationId, question),
    ]);

    // Each sees the other (and never themselves).
    const sofiaLine = page.getByTestId('presence-line');
    const marcusLine = marcusPage.getByTestId('presence-line');
    await expect(sofiaLine).toHaveText('Marcus Lee is also here');
    await expect(marcusLine).toHaveText('Sofia Reyes is also here');

    // Marcus types: Sofia sees him typing a reply, in the presence line, not as the customer.
    await marcusPage.getByRole('combobox', { name: 'Message' }).pressSequentially('Let me');
    await expect(sofiaLine).toHaveText('Marcus Lee is typing a reply…');
    await screenshot(page, 'co-agents-1440');

    await page.setViewportSize({ width: 375, height: 720 });
    await screenshot(page, 'co-agents-375');

    // Sofia replies into Marcus's conversation: asked first, then sent.
    const reply = marker('I was the one who handled this order yesterday');
    const composer = page.getByRole('combobox', { name: 'Message' });
    await composer.fill(reply);
    await composer.press('Enter');
    const dialog = page.getByRole('alertdialog', {
      name: 'Marcus Lee is assigned to this conversation. Send anyway?',
    });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Send anyway' })).toBeFocused();
    await screenshot(page, 'co-agents-confirm-375');
    await page.setViewportSize({ width: 1440, height: 900 });
    await dialog.getByRole('button', { name: 'Send anyway' }).click();
    await expect(dialog).toBeHidden();
    await expect(marcusPage.getByRole('log', { name: /Messages with/ })).toContainText(reply);

    // Confirmed once: the next reply goes without asking.
    const second = marker('I will call the rider');
    await composer.fill(second);
    await composer.press('Enter');
    await expect(marcusPage.getByRole('log', { name: /Messages with/ })).toContainText(second);
    await expect(page.getByRole('alertdialog')).toHaveCount(0);

    // Marcus closes his tab: Sofia is alone again.
    await marcusContext.close();
    await expect(sofiaLine).toHaveText('');
  });
});
