/// <reference lib="dom" />
// Sessions in the browser: the access token is kept in memory and a reload signs in again from
// the HttpOnly refresh cookie; "Sign out" reaches the other tabs; "Sign out everywhere" reaches
// another browser, whose open page goes to the login page without a reload.
import { expect, test } from '@playwright/test';
import { signIn } from '../helpers.js';

test('a reload stays signed in through the refresh cookie; no token is stored where scripts can read it', async ({
  page,
  context,
}) => {
  await signIn(page, 'customer3@demo.test');
  await expect(page).toHaveURL(/\/customer/);
  await page.reload();
  await expect(page.getByRole('link', { name: /^Help/ })).toBeVisible();
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  const cookie = (await context.cookies()).find((c) => c.name === 'support_chat_refresh');
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/auth' });
  expect(await page.evaluate(() => document.cookie)).not.toContain('support_chat_refresh');
});

test('signing out in one tab signs out the other tabs; a reload does not bring the session back', async ({
  context,
}) => {
  const first = await context.newPage();
  await signIn(first, 'driver2@demo.test');
  const second = await context.newPage();
  await second.goto('/driver');
  await expect(second.getByRole('button', { name: /Menu/ })).toBeVisible();

  await first.getByRole('button', { name: /Menu/ }).click();
  await first.getByRole('dialog', { name: 'Menu' }).getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(first).toHaveURL(/\/login/);
  await expect(second).toHaveURL(/\/login/);
  await second.reload();
  await expect(second.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('"Sign out everywhere" sends another browser of the account to the login page', async ({ browser }) => {
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const laptopPage = await laptop.newPage();
  const phonePage = await phone.newPage();
  await signIn(laptopPage, 'lead@demo.test');
  await signIn(phonePage, 'lead@demo.test');

  await laptopPage.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(laptopPage).toHaveURL(/\/login/);
  // The phone's socket hears session:ended within a second and the app shows the login page.
  await expect(phonePage).toHaveURL(/\/login/, { timeout: 5000 });
  await expect(phonePage.getByRole('status')).toContainText('Your session has ended');
  await laptop.close();
  await phone.close();
});
