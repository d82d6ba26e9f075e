/// <reference lib="dom" />
// Routing in the browser: an agent who is away receives nothing; back online, the waiting
// conversation arrives live; another agent's team strip follows every change.
import { expect, test } from '@playwright/test';
import { apiAs, DEFAULT_SETTINGS, marker, screenshot, signIn } from '../helpers.js';

test.describe('routing', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('away receives nothing; back online the waiting conversation arrives live; the team strip follows', async ({
    page,
    request,
    browser,
  }) => {
    const settings = await apiAs(request, 'settings@demo.test');
    // Room for everything already waiting, so that the new conversation is not behind a full agent.
    const routingOn = { ...DEFAULT_SETTINGS, autoAssignAdmin: true, maxOpenConversationsPerAgent: 100 };
    expect((await settings.call('PUT', '/api/admin/settings/support', routingOn)).status).toBe(200);
    try {
      await signIn(page, 'support@demo.test');
      const status = page.getByRole('combobox', { name: 'Your status' });
      await expect(status).toHaveValue('online');

      // Marcus (the lead, away by choice) watches the team strip in his own browser.
      const leadContext = await browser.newContext({ viewport: { width: 375, height: 812 } });
      const leadPage = await leadContext.newPage();
      await signIn(leadPage, 'lead@demo.test');
      const strip = leadPage.getByRole('region', { name: 'Team' });
      await expect(strip).toContainText(/Sofia Reyes · online · \d+\/100/);

      // Sofia steps away: the strip shows it, and a new conversation waits instead of reaching her.
      await status.selectOption('away');
      await expect(strip).toContainText(/Sofia Reyes · away/);
      const customer = await apiAs(request, 'customer2@demo.test');
      const text = marker('My parcel never arrived');
      const created = await customer.call('POST', '/api/support/conversations', {
        subject: 'Missing parcel',
        message: { body: text },
      });
      expect(created.status).toBe(201);
      expect(created.json.conversation.adminId).toBeNull();
      const inbox = page.getByRole('list', { name: 'Conversations' });
      const row = inbox.getByRole('button').filter({ hasText: text });
      await expect(row).toContainText(/Waiting · \d+ s/);
      await expect(strip).toContainText(/\d+ waiting · oldest/);
      await screenshot(leadPage, 'admin-team-strip-375');

      // Back online: the waiting conversation arrives live, assigned to her.
      await status.selectOption('online');
      await expect(row).toContainText('Assigned to Sofia Reyes');
      await expect(strip).toContainText(/Sofia Reyes · online · [1-9]\d*\/100/);
      await expect(page.getByRole('region', { name: 'Team' })).toContainText('Nobody waiting');
      await screenshot(page, 'admin-team-strip-1440');
      await leadContext.close();
    } finally {
      expect((await settings.call('PUT', '/api/admin/settings/support', DEFAULT_SETTINGS)).status).toBe(200);
    }
  });
});
