/// <reference lib="dom" />
// Orders in support, three-sided: a customer starts a chat about their order in progress (#4821 in
// the demo seed), the agent sees the order and contacts its driver, and the driver, on a phone,
// receives that conversation live.
import { expect, test } from '@playwright/test';
import { marker, screenshot, signIn } from '../helpers.js';

test.describe('orders in support', () => {
  test('customer asks about #4821, the agent contacts its driver, the driver gets it live', async ({ browser }) => {
    const phone = { viewport: { width: 375, height: 667 }, hasTouch: true, isMobile: true };

    // The customer starts a chat: the order in progress is offered first and preselected.
    const customerContext = await browser.newContext(phone);
    const customer = await customerContext.newPage();
    await signIn(customer, 'customer@demo.test');
    await customer.goto('/customer/help/chat/new');
    const picker = customer.getByRole('group', { name: 'Which order is this about?' });
    await expect(picker.getByRole('radio').first()).toBeChecked();
    await expect(picker.locator('label').first()).toContainText('#4821');
    await expect(picker).toContainText('Something else');
    const question = marker('My food is late, where is my order?');
    await customer.getByLabel(/How can we help/).fill(question);
    await screenshot(customer, 'orders-customer-new-375');
    await customer.getByRole('button', { name: 'Start chat' }).click();
    await expect(customer).toHaveURL(/\/customer\/help\/chat\/[0-9a-f-]{36}$/);
    const conversationId = customer.url().split('/').at(-1) ?? '';
    const card = customer.getByRole('region', { name: 'Order #4821' });
    await expect(card).toContainText('Picked up');
    await expect(card).toContainText('Bella Napoli');
    await expect(customer.getByRole('log', { name: 'Messages with support' })).toContainText(question);
    await screenshot(customer, 'orders-customer-chat-375');

    // The driver has the support chat open on their phone.
    const driverContext = await browser.newContext(phone);
    const driver = await driverContext.newPage();
    await signIn(driver, 'driver@demo.test');
    await expect(driver.getByRole('region', { name: 'Current delivery' })).toContainText('#4821');
    await driver.goto('/driver/support');
    const driverList = driver.getByRole('list', { name: 'Your conversations' });

    // The agent sees the order in the right panel: timeline, items, lateness and the parties.
    const agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agent = await agentContext.newPage();
    await signIn(agent, 'support@demo.test');
    await agent.goto(`/admin/support-chat/${conversationId}`);
    const order = agent.getByRole('region', { name: 'Order' });
    await expect(order).toContainText('Order #4821');
    await expect(order).toContainText(/\d+ min late/);
    await expect(order).toContainText('Margherita pizza');
    await expect(order).toContainText('Emma Wilson');
    await expect(order).toContainText('Alex Morgan');
    await order.getByRole('button', { name: /Alex Morgan/ }).click();
    await expect(order).toContainText('+44 7700 900101');
    await screenshot(agent, 'orders-admin-order-panel');

    // "Contact driver about #4821": a new conversation with the driver, linked to the order.
    await order.getByRole('button', { name: 'Contact driver about #4821' }).click();
    const note = marker('Hi Alex, the customer of #4821 is asking where the food is');
    await order.getByLabel('First message to the driver').fill(note);
    await order.getByRole('button', { name: 'Start conversation' }).click();
    await expect(agent).not.toHaveURL(new RegExp(`${conversationId}$`));
    await expect(agent.getByRole('log', { name: /Messages with Alex Morgan/ })).toContainText(note);

    // The driver receives it live, without a reload, and sees the order card in it.
    const row = driverList.getByRole('button').filter({ hasText: 'Order #4821' });
    await expect(row).toBeVisible();
    await row.click();
    await expect(driver.getByRole('log', { name: 'Messages with support' })).toContainText(note);
    await expect(driver.getByRole('region', { name: 'Order #4821' })).toContainText('Picked up');
    expect(
      await driver.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    await screenshot(driver, 'orders-driver-contacted-375');

    // The inbox shows the order's conversations together: the customer's and the driver's.
    await agent.getByRole('searchbox', { name: /Search by name/ }).fill('#4821');
    const inbox = agent.getByRole('list', { name: 'Conversations' });
    await expect(inbox.getByRole('button')).toHaveCount(2);
    await expect(inbox).toContainText('Emma Wilson');
    await expect(inbox).toContainText('Alex Morgan');
    await screenshot(agent, 'orders-admin-inbox-by-order');

    await Promise.all([customerContext.close(), driverContext.close(), agentContext.close()]);
  });
});
