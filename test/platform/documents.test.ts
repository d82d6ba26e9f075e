// Signed document URLs: stored under opaque keys, served only with a valid, unexpired signature
// bound to key, expiry and disposition, with headers that stop the browser from running anything.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentsService } from '../../server/platform/documents/documents.service.js';
import { createLocalDiskStorage } from '../../server/platform/documents/storage.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('documents (signed URLs)', () => {
  let t: TestApp;
  let pdfKey: string;
  let pngKey: string;
  const pdf = Buffer.from('%PDF-1.4\n% test document\n%%EOF\n');
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

  beforeAll(async () => {
    t = await startTestApp();
    pdfKey = (
      await t.services.documents.store(pdf, { contentType: 'application/pdf', fileName: 'Invoice März "final".pdf' })
    ).key;
    pngKey = (await t.services.documents.store(png, { contentType: 'image/png', fileName: 'photo.png' })).key;
  });
  afterAll(() => t.close());

  const get = (url: string) => fetch(`${t.baseUrl}${url}`);

  it('stores files under opaque keys, outside any public folder', () => {
    expect(pdfKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pdfKey).not.toContain('Invoice');
    const onDisk = fs.readdirSync(t.config.documents.storageDir, { recursive: true }).map(String);
    expect(onDisk.some((name) => name.endsWith(pdfKey))).toBe(true);
    expect(onDisk.some((name) => name.includes('Invoice'))).toBe(false);
  });

  it('serves a file through its signed URL with safe headers', async () => {
    const { url, expiresAt } = t.services.documents.signedUrl(pdfKey, 'attachment');
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(t.config.documents.signedUrlTtlSeconds * 1000);
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(pdf);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Invoice M_rz _final_.pdf"; filename*=UTF-8''${encodeURIComponent('Invoice März "final".pdf')}`,
    );
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
  });

  it('serves images inline, sandboxed, when asked to', async () => {
    const response = await get(t.services.documents.signedUrl(pngKey, 'inline').url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
    expect(response.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses a tampered signature, key, expiry or disposition with 403 and serves nothing', async () => {
    const { url } = t.services.documents.signedUrl(pdfKey, 'attachment');
    const parsed = new URL(url, t.baseUrl);
    const variants: string[] = [];
    const withParam = (name: string, value: string) => {
      const copy = new URL(parsed);
      copy.searchParams.set(name, value);
      return copy.pathname + copy.search;
    };
    const sig = parsed.searchParams.get('sig') ?? '';
    variants.push(withParam('sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`));
    variants.push(withParam('exp', String(Number(parsed.searchParams.get('exp')) + 3600)));
    variants.push(withParam('disp', 'i'));
    variants.push(url.replace(pdfKey, pngKey));
    variants.push(parsed.pathname);
    for (const variant of variants) {
      const response = await get(variant);
      expect(response.status, variant).toBe(403);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe('SIGNATURE_INVALID');
    }
  });

  it('refuses a URL signed with another secret', async () => {
    const foreign = createDocumentsService({
      storage: createLocalDiskStorage(t.config.documents.storageDir),
      urlSecret: 'some-other-secret-some-other-secret-some-other-secret',
      ttlSeconds: 60,
    });
    const response = await get(foreign.signedUrl(pdfKey, 'attachment').url);
    expect(response.status).toBe(403);
  });

  it('refuses an expired URL with SIGNATURE_EXPIRED', async () => {
    const { url } = t.services.documents.signedUrl(pdfKey, 'attachment', 60, Date.now() - 120_000);
    const response = await get(url);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('SIGNATURE_EXPIRED');
  });

  it('answers 404 for a validly signed key that holds nothing (deleted file)', async () => {
    const { key } = await t.services.documents.store(Buffer.from('bye'), {
      contentType: 'application/pdf',
      fileName: 'x.pdf',
    });
    const { url } = t.services.documents.signedUrl(key, 'attachment');
    await t.services.documents.remove(key);
    expect((await get(url)).status).toBe(404);
  });

  it('keeps the signature out of the request log', async () => {
    const { url } = t.services.documents.signedUrl(pdfKey, 'attachment');
    await (await get(url)).arrayBuffer();
    const sig = new URL(url, t.baseUrl).searchParams.get('sig') ?? 'missing';
    expect(t.logText()).toContain(`"path":"/api/documents/${pdfKey}"`);
    expect(t.logText()).not.toContain(sig);
  });
});
