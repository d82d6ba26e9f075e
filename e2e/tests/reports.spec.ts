/// <reference lib="dom" />
// Support reports in the browser: the lead opens the page from the navigation, sees the figures
// and both charts, changes the period, and the page asks for it in the browser's timezone.
import { expect, test } from '@playwright/test';
import { apiAs, marker, screenshot, signIn } from '../helpers.js';

test.describe('support reports', () => {
  for (const [width, height] of [
    [1440, 900],
    [768, 1024],
  ] as const) {
    test(`the lead opens the reports, changes the period and sees the charts (${width} px)`, async ({
      page,
      request,
    }) => {
      await page.setViewportSize({ width, height });
      // Something to report on: a customer asks, an agent answers and resolves.
      const customer = await apiAs(request, 'customer3@demo.test');
      const agent = await apiAs(request, 'support@demo.test');
      const created = await customer.call('POST', '/api/support/conversations', {
        subject: 'Late delivery',
        message: { body: marker('Where is my order') },
      });
      expect(created.status).toBe(201);
      const id = created.json.conversation.id as string;
      expect(
        (await agent.call('POST', `/api/support/conversations/${id}/messages`, { body: 'Checking now' })).status,
      ).toBe(201);
      expect((await agent.call('POST', `/api/admin/support/conversations/${id}/resolve`)).status).toBe(200);

      await signIn(page, 'lead@demo.test');
      await page.getByRole('link', { name: 'Reports' }).click();
      await expect(page).toHaveURL(/\/admin\/support-reports$/);
      await expect(page.getByRole('heading', { name: 'Support reports' })).toBeVisible();
      const summary = page.getByRole('region', { name: 'Summary' });
      await expect(summary).toContainText('Created');
      await expect(page.getByTestId('chart')).toHaveCount(2);
      await expect(page.locator('canvas')).toHaveCount(2);
      await expect(page.getByRole('region', { name: 'Live now' })).toContainText('Queue:');
      await expect(page.getByRole('region', { name: 'By agent' })).toContainText('Sofia Reyes');

      const timezone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      const answered = page.waitForResponse(
        (r) => r.url().includes('/api/admin/support/reports?') && r.url().includes('period=30d'),
      );
      await page.getByLabel('Period').selectOption('30d');
      const response = await answered;
      expect(response.status()).toBe(200);
      const url = new URL(response.url());
      expect(url.searchParams.get('tz')).toBe(timezone);
      await expect(page.locator('.u-legend').first()).toContainText('Created (conversations)');
      // The 30-day answer is on the page (no refetch spinner) before the screenshot.
      await expect(page.getByRole('status').filter({ hasText: 'Updating' })).toHaveCount(0);
      await screenshot(page, `admin-reports-${width}`);
    });
  }
});
