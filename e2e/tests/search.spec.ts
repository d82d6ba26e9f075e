/// <reference lib="dom" />
// Inbox search over message and note text in Chromium against the real server: the row shows
// the matching message or internal note with the searched words marked, and opens the conversation.
import { expect, test } from '@playwright/test';
import { apiAs, screenshot, signIn } from '../helpers.js';

test.describe('inbox full-text search', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('finds conversations by the words of a message and of a note, marked, and opens one', async ({
    page,
    request,
  }) => {
    const stamp = `fin${Date.now().toString(36)}`;
    const restaurant = await apiAs(request, 'restaurant3@demo.test');
    const body = 'Our tablet printed the wrong refund amount for the last order, can you check it?';
    const created = await restaurant.call('POST', '/api/support/conversations', {
      subject: 'Refund amount',
      message: { body },
    });
    expect(created.status).toBe(201);
    const conversationId = created.json.conversation.id as string;
    const agent = await apiAs(request, 'support@demo.test');
    const note = await agent.call('POST', `/api/admin/support/conversations/${conversationId}/notes`, {
      body: `Finance confirmed the refund difference, reference ${stamp}`,
    });
    expect(note.status).toBe(201);

    await signIn(page, 'support@demo.test');
    await page.goto('/admin/support-chat');
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'All' });
    const search = page.getByRole('searchbox');
    await search.fill('refund');
    const rows = page.getByRole('list', { name: 'Conversations' }).getByRole('button');
    const row = rows.filter({ hasText: 'wrong refund amount' });
    await expect(row.getByTestId('search-snippet')).toBeVisible();
    await expect(row.locator('mark').first()).toHaveText('refund');
    // The demo's own refund conversations are found by their messages too.
    await expect(rows.filter({ hasText: 'Liam Patel' }).locator('mark').first()).toHaveText('refund');
    await screenshot(page, 'search');
    await page.setViewportSize({ width: 375, height: 720 });
    await screenshot(page, 'search-375');
    await page.setViewportSize({ width: 1440, height: 900 });

    // A note's words: found for the agent, labelled as a note; the row opens the conversation.
    await search.fill(stamp);
    await expect(rows).toHaveCount(1);
    const snippet = rows.first().getByTestId('search-snippet');
    await expect(snippet).toContainText(`Internal note: Finance confirmed the refund difference, reference ${stamp}`);
    await expect(snippet.locator('mark')).toHaveText(stamp);
    await rows.first().click();
    await expect(page).toHaveURL(new RegExp(`/admin/support-chat/${conversationId}\\?message=${note.json.id}$`));
    await expect(page.getByRole('log', { name: /Messages with/ })).toContainText(body);
    // The thread shows the matched note, highlighted for a moment.
    const highlighted = page.locator('[data-highlighted="true"]');
    await expect(highlighted.getByTestId('note-bubble')).toContainText(stamp);
    await expect(highlighted).toBeInViewport();
  });
});
