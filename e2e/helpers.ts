// Shared steps of the browser tests: signing in through the login page, the API calls that play
// the other side of a conversation, and screenshots for the documentation.
import fs from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, expect, type Page } from '@playwright/test';

export const PASSWORD = 'demo1234';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../test-output/screenshots');

export async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The API as one person: a token from /api/auth/login and JSON helpers. */
export async function apiAs(request: APIRequestContext, email: string) {
  const login = await request.post('/api/auth/login', { data: { email, password: PASSWORD } });
  expect(login.status()).toBe(200);
  const { token, me } = (await login.json()) as { token: string; me: { userId: string; adminId?: string } };
  const headers = { authorization: `Bearer ${token}` };
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown) => {
    const response = await request.fetch(url, { method, headers, ...(data === undefined ? {} : { data }) });
    // biome-ignore lint/suspicious/noExplicitAny: tests read response fields one by one
    return { status: response.status(), json: (await response.json().catch(() => undefined)) as any };
  };
  return { token, me, call };
}

export type Api = Awaited<ReturnType<typeof apiAs>>;

export const DEFAULT_SETTINGS = {
  maxAttachmentSizeMB: 10,
  allowedAttachmentTypes: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
  autoAssignAdmin: false,
};

/** A unique marker for text typed in a test, so that assertions find exactly that message. */
export const marker = (label: string) => `${label} ${Date.now().toString(36)}`;
