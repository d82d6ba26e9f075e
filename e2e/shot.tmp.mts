import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:3240';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
async function shot(email: string, path: string, width: number, height: number, name: string, after?: (p: any) => Promise<void>) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  await page.goto(base + '/login');
  await page.getByLabel(/e-mail/i).fill(email);
  await page.getByLabel(/password/i).fill('demo1234');
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForTimeout(1500);
  await page.goto(base + path);
  await page.waitForTimeout(2000);
  if (after) await after(page);
  await page.screenshot({ path: `/tmp/shots/${name}.png` });
  await ctx.close();
}
await shot('support@demo.test', '/admin/support-chat', 1440, 900, 'admin-1440', async (p) => { await p.locator('[role=listitem], li').first().click().catch(()=>{}); await p.waitForTimeout(1000); });
await shot('support@demo.test', '/admin/support-chat', 375, 740, 'admin-375');
await shot('driver@demo.test', '/driver', 375, 740, 'driver-375', async (p) => { await p.getByRole('button', { name: /menu/i }).click().catch(()=>{}); await p.waitForTimeout(500); });
await shot('customer@demo.test', '/customer', 375, 740, 'customer-375', async (p) => { await p.getByRole('link', { name: /help/i }).first().click().catch(()=>{}); await p.waitForTimeout(800); });
await browser.close();
