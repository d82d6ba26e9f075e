// Response headers and defaults: no cache keeps an API answer, production hides the API docs,
// and uploaded files are readable by the server's user only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { makePng, upload } from '../helpers/files.js';
import { api, createUser, type TestUser } from '../helpers/fixtures.js';

describe('API responses', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t.database.db, t.services.tokens, 'customer');
  });
  afterAll(() => t.close());

  it('are never stored by a cache (Cache-Control: no-store), errors included', async () => {
    for (const path of ['/api/auth/me', '/api/support/conversations', '/api/support/unread', '/api/health/ready']) {
      const response = await api(t.baseUrl, 'GET', path, { token: user.token });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
    const unauthenticated = await api(t.baseUrl, 'GET', '/api/support/conversations');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('cache-control')).toBe('no-store');
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: {} });
    expect(created.headers.get('cache-control')).toBe('no-store');
  });

  it('writes uploaded files 0600 in 0700 folders, whatever the umask', async () => {
    const conversationId = (await api(t.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: {} }))
      .json.conversation.id as string;
    const previous = process.umask(0);
    try {
      const uploaded = await upload(t.baseUrl, user.token, conversationId, { data: await makePng(), name: 'a.png' });
      expect(uploaded.status).toBe(201);
    } finally {
      process.umask(previous);
    }
    const root = t.config.documents.storageDir;
    const found: { path: string; mode: number; directory: boolean }[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        found.push({ path: full, mode: fs.statSync(full).mode & 0o777, directory: entry.isDirectory() });
        if (entry.isDirectory()) walk(full);
      }
    };
    walk(root);
    expect(fs.statSync(root).mode & 0o777).toBe(0o700);
    expect(found.filter((f) => !f.directory).length).toBeGreaterThanOrEqual(2); // file and its sidecar
    for (const f of found) expect(f.mode.toString(8), f.path).toBe(f.directory ? '700' : '600');
  });
});

describe('in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      ALLOWED_ORIGINS: 'https://support.example.com',
      // Production needs VAPID keys otherwise (test/platform/config.test.ts).
      WEB_PUSH: 'off',
    });
  });
  afterAll(() => t.close());

  it('does not publish the API docs unless API_DOCS=true', async () => {
    for (const path of ['/api/docs', '/api/docs/json']) {
      const response = await api(t.baseUrl, 'GET', path);
      expect(response.status, path).toBe(404);
    }
  });
});
