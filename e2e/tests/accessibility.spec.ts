/// <reference lib="dom" />
// Accessibility: every screen passes axe-core with no serious or critical violation at 1440 and
// 375 px, and the keyboard parts (the Settings tabs, the inbox's "?" shortcuts dialog) work.
// The screen list is one table (SCREENS_BY_ACCOUNT): a new screen is one more entry under the
// account that can open it. One browser context per account, signed in once.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { screenshot, signIn } from '../helpers.js';

// Evaluated, not added as a <script>: the app's Content-Security-Policy refuses inline scripts.
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 375, height: 740 };
const WIDTHS = [DESKTOP, PHONE];

type Screen = {
  name: string;
  path: string;
  /** Waits until the screen shows its content (and opens what must be open). */
  ready: (page: Page) => Promise<void>;
};
type Account = { email: string | null; screens: Screen[] };

const heading = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole('heading', { name }).first()).toBeVisible();
};
/** A user app's chat: the list, then its first conversation open. */
const firstConversation = async (page: Page) => {
  const row = page.locator('button[data-row]').first();
  await row.click();
  await expect(page.getByRole('log')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
};

const SCREENS_BY_ACCOUNT: Account[] = [
  { email: null, screens: [{ name: 'login', path: '/login', ready: heading('Support Chat') }] },
  {
    email: 'support@demo.test',
    screens: [
      {
        name: 'support chat, a conversation open',
        path: '/admin/support-chat',
        ready: async (page) => {
          await page.locator('button[data-row]').first().click();
          await expect(page.getByRole('log')).toBeVisible();
          await expect(page.getByRole('combobox', { name: 'Message' })).toBeVisible();
        },
      },
      {
        name: 'support chat, the saved replies picker open',
        path: '/admin/support-chat',
        ready: async (page) => {
          await page.locator('button[data-row]').first().click();
          await page.getByRole('combobox', { name: 'Message' }).fill('/');
          await expect(page.getByRole('listbox', { name: 'Saved replies' })).toBeVisible();
        },
      },
      {
        name: 'the alerts menu open',
        path: '/admin/support-chat',
        ready: async (page) => {
          await page.getByRole('button', { name: 'Alerts', exact: true }).click();
          await expect(page.getByRole('button', { name: 'Test sound' })).toBeVisible();
        },
      },
      {
        name: 'support chat, a full-text search with marked snippets',
        path: '/admin/support-chat',
        ready: async (page) => {
          await page.getByRole('searchbox').fill('refund');
          await expect(page.getByTestId('search-snippet').first()).toBeVisible();
        },
      },
    ],
  },
  {
    email: 'settings@demo.test',
    screens: [
      {
        name: 'settings: support',
        path: '/admin/settings/support',
        ready: (page) => expect(page.getByLabel('Maximum attachment size')).toBeVisible(),
      },
      {
        name: 'settings: routing',
        path: '/admin/settings/routing',
        ready: (page) => expect(page.getByLabel('Open conversations per agent')).toBeVisible(),
      },
      {
        name: 'settings: notifications',
        path: '/admin/settings/notifications',
        ready: heading('Failed notifications'),
      },
      {
        name: 'settings: saved replies',
        path: '/admin/settings/saved-replies',
        ready: (page) => expect(page.getByRole('list', { name: 'Saved replies' })).toBeVisible(),
      },
    ],
  },
  {
    email: 'lead@demo.test',
    screens: [
      {
        name: 'reports',
        path: '/admin/support-reports',
        ready: (page) => expect(page.getByRole('region', { name: 'By user type' })).toBeVisible(),
      },
      { name: 'not found', path: '/admin/no-such-page', ready: heading('This page does not exist') },
    ],
  },
  {
    email: 'viewer@demo.test',
    screens: [{ name: 'no access', path: '/admin', ready: heading(/You don't have access/) }],
  },
  {
    email: 'customer@demo.test',
    screens: [
      { name: 'customer home', path: '/customer', ready: heading(/Hello/) },
      { name: 'customer help', path: '/customer/help', ready: heading(/Help/) },
      { name: 'customer chat', path: '/customer/help/chat', ready: firstConversation },
    ],
  },
  {
    email: 'driver@demo.test',
    screens: [
      { name: 'driver home', path: '/driver', ready: heading(/Hi/) },
      {
        // The driver's way to help: Menu → Support Chat.
        name: 'driver menu',
        path: '/driver',
        ready: async (page) => {
          await page.getByRole('button', { name: /Menu/ }).click();
          await expect(page.getByRole('dialog', { name: 'Menu' })).toBeVisible();
        },
      },
      { name: 'driver chat', path: '/driver/support', ready: firstConversation },
    ],
  },
  {
    email: 'restaurant@demo.test',
    screens: [
      { name: 'restaurant home', path: '/restaurant', ready: heading(/./) },
      { name: 'restaurant help', path: '/restaurant/help', ready: heading(/Help/) },
      { name: 'restaurant chat', path: '/restaurant/help/chat', ready: firstConversation },
    ],
  },
];

type Violation = { id: string; impact: string; help: string; nodes: { target: unknown[]; failureSummary: string }[] };

/** Serious and critical violations of the page as it is now, one line per element. */
async function seriousViolations(page: Page, within?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async (selector) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global
    const axe = (window as any).axe;
    const result = await axe.run(selector ?? document, { resultTypes: ['violations'] });
    return result.violations;
  }, within)) as Violation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.impact} ${violation.id} (${violation.help}) at ${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`,
      ),
    );
}

async function signedInPage(browser: Browser, email: string | null) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  if (email) await signIn(page, email);
  return { context, page };
}

for (const account of SCREENS_BY_ACCOUNT) {
  test(`axe: no serious or critical violations (${account.email ?? 'signed out'})`, async ({ browser }) => {
    const { context, page } = await signedInPage(browser, account.email);
    const found: string[] = [];
    for (const screen of account.screens) {
      // Loaded once at the desktop width, then narrowed: the layout follows the width (CSS and
      // matchMedia), and one load per screen keeps the spec fast.
      await page.setViewportSize(DESKTOP);
      await page.goto(screen.path);
      await screen.ready(page);
      for (const size of WIDTHS) {
        await page.setViewportSize(size);
        await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
        for (const line of await seriousViolations(page)) found.push(`${screen.name} @ ${size.width}px: ${line}`);
      }
    }
    await context.close();
    expect(found, `axe violations:\n${found.join('\n')}`).toEqual([]);
  });
}

test('Settings is an area with tabs; the inbox lists its shortcuts under "?"', async ({ browser }) => {
  const { context, page } = await signedInPage(browser, 'lead@demo.test');
  // Admin → Settings → Support, literally: the header's Settings, the area's Support tab.
  await page
    .getByRole('navigation', { name: 'Admin' })
    .getByRole('link', { name: /^Settings/ })
    .click();
  await expect(page).toHaveURL(/\/admin\/settings\/support$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const tabs = page.getByRole('navigation', { name: 'Settings' });
  await expect(tabs.getByRole('link', { name: 'Support' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('Maximum attachment size')).toBeVisible();
  await screenshot(page, 'settings-area');
  await tabs.getByRole('link', { name: 'Routing' }).click();
  await expect(page).toHaveURL(/\/admin\/settings\/routing$/);
  await expect(page.getByRole('switch', { name: 'Assign new conversations automatically' })).toBeVisible();
  await page.reload();
  await expect(tabs.getByRole('link', { name: 'Routing' })).toHaveAttribute('aria-current', 'page');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'settings-area-375');

  // The inbox: ? opens the help; j opens the next conversation; r goes to the composer, where keys type.
  await page.setViewportSize(DESKTOP);
  await page.goto('/admin/support-chat');
  await expect(page.locator('button[data-row]').first()).toBeVisible();
  await page.setViewportSize(PHONE);
  await screenshot(page, 'shortcuts-inbox-375');
  await page.setViewportSize(DESKTOP);
  await page.keyboard.press('j');
  await expect(page).toHaveURL(/\/admin\/support-chat\/[0-9a-f-]{36}$/);
  const first = page.url();
  const composer = page.getByRole('combobox', { name: 'Message' });
  // r acts on the open conversation: once it has loaded (a key pressed before finds no composer).
  await expect(composer).toBeVisible();
  await page.keyboard.press('r');
  await expect(composer).toBeFocused();
  await page.keyboard.type('jk?');
  await expect(composer).toHaveValue('jk?');
  expect(page.url()).toBe(first);
  await composer.fill('');
  await page.keyboard.press('Escape');
  // n: to the internal note, writing there; s: the snooze presets.
  await page.keyboard.press('n');
  await expect(page.getByRole('tab', { name: 'Note' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('textarea:focus')).toHaveAttribute('placeholder', 'Note for agents only…');
  await page.keyboard.press('Escape');
  await page.keyboard.press('n');
  await expect(composer).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('s');
  await expect(page.getByRole('menu', { name: 'Snooze until' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toBeHidden();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toContainText('Snooze: open the snooze menu');
  await screenshot(page, 'shortcuts-help');
  // (The page behind the modal dialog is checked above.)
  expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
  await page.setViewportSize(PHONE);
  await screenshot(page, 'shortcuts-help-375');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await context.close();
});
