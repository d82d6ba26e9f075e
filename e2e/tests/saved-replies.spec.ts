/// <reference lib="dom" />
// Saved replies in Chromium against the real server: the lead creates one in Settings (the form
// explains an unknown variable and a taken shortcut first), the agent types "/" and its shortcut
// in a conversation about an order, inserts it and sends it, and the customer receives the text
// with their name, the agent's name and the order number filled in.
import { expect, test } from '@playwright/test';
import { apiAs, screenshot, signIn } from '../helpers.js';

test.describe('saved replies', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('a lead creates a reply; an agent inserts it with "/" and the customer gets it filled in', async ({
    page,
    request,
    browser,
  }) => {
    const customer = await apiAs(request, 'customer@demo.test');
    const orders = await customer.call('GET', '/api/orders');
    const order = (orders.json.items as { id: string; number: number }[]).find((item) => item.number === 4821);
    expect(order).toBeDefined();
    const created = await customer.call('POST', '/api/support/conversations', {
      subject: 'Late delivery',
      message: { body: 'My food is 30 minutes late.' },
      orderId: order?.id,
    });
    expect(created.status).toBe(201);
    const conversationId = created.json.conversation.id as string;

    // The lead writes the reply in Settings → Saved replies.
    await signIn(page, 'lead@demo.test');
    await page.goto('/admin/settings/saved-replies');
    await expect(page.getByRole('heading', { name: 'Saved replies', level: 2 })).toBeVisible();
    const list = page.getByRole('list', { name: 'Saved replies' });
    await expect(list).toContainText('/refund-late');
    await page.getByRole('button', { name: 'New saved reply' }).click();
    const form = page.getByRole('form', { name: 'New saved reply' });
    await form.getByLabel('Shortcut').fill('greeting');
    await form.getByLabel('Title').fill('Late order, driver on the way');
    await form.getByLabel('Reply').fill('Hi {{user.firstName}}, your {{user.email}} is noted.');
    await form.getByRole('button', { name: 'Create saved reply' }).click();
    await expect(form.getByLabel('Reply')).toHaveAccessibleDescription(/Unknown variable: \{\{user\.email\}\}/);

    const body = 'Hi {{user.firstName}}, I am {{agent.firstName}}. Your order {{order.number}} is with the driver now.';
    await form.getByLabel('Reply').fill('Hi {{user.firstName}}, I am {{agent.firstName}}. Your order ');
    // The variable buttons insert at the caret, and typing goes on after it.
    await form.getByRole('button', { name: /Insert \{\{order\.number\}\}/ }).click();
    await form.getByLabel('Reply').pressSequentially(' is with the driver now.');
    await expect(form.getByLabel('Reply')).toHaveValue(body);
    // "greeting" is a demo reply's shortcut: the server refuses it (409) and the form says so.
    await form.getByRole('button', { name: 'Create saved reply' }).click();
    await expect(form.getByLabel('Shortcut')).toHaveAccessibleDescription(/already uses this shortcut/);
    await screenshot(page, 'saved-replies-settings');
    await form.getByLabel('Shortcut').fill('Driver-Late');
    await form.getByRole('button', { name: 'Create saved reply' }).click();
    await expect(page.getByText('Saved /driver-late.')).toBeVisible();
    await expect(list.getByRole('listitem').filter({ hasText: '/driver-late' })).toContainText(
      'Late order, driver on the way',
    );
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'saved-replies-settings-375');

    // The agent inserts it in the conversation with "/" and sends it.
    const agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agentPage = await agentContext.newPage();
    await signIn(agentPage, 'support@demo.test');
    await agentPage.goto(`/admin/support-chat/${conversationId}`);
    await expect(agentPage.getByRole('log', { name: /Messages with/ })).toContainText('My food is 30 minutes late.');
    const composer = agentPage.getByRole('combobox', { name: 'Message' });
    await composer.pressSequentially('/driv');
    const picker = agentPage.getByRole('listbox', { name: 'Saved replies' });
    await expect(picker.getByRole('option')).toHaveCount(1);
    await expect(picker.getByRole('option').first()).toContainText('Late order, driver on the way');
    await expect(composer).toHaveAttribute('aria-expanded', 'true');
    await screenshot(agentPage, 'saved-replies-picker');
    await composer.press('Enter');
    const filled = 'Hi Emma, I am Sofia. Your order #4821 is with the driver now.';
    await expect(composer).toHaveValue(filled);
    await agentPage.setViewportSize({ width: 375, height: 720 });
    await composer.fill('/gre');
    await composer.press('End');
    await composer.pressSequentially('e');
    await expect(picker.getByRole('option').first()).toContainText('/greeting');
    await screenshot(agentPage, 'saved-replies-picker-375');
    await composer.press('Escape');
    await expect(picker).toHaveCount(0);
    await composer.fill(filled);
    await composer.press('Enter');
    await expect(composer).toHaveValue('');

    // The customer receives the filled-in text.
    await expect
      .poll(async () => {
        const messages = await customer.call('GET', `/api/support/conversations/${conversationId}/messages`);
        return (messages.json.items as { body: string | null }[]).map((message) => message.body);
      })
      .toContain(filled);
    const agent = await apiAs(request, 'support@demo.test');
    await agent.call('POST', `/api/admin/support/conversations/${conversationId}/resolve`);
    await agentContext.close();
  });
});
