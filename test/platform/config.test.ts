// loadConfig: production turns off what only development needs (the Vite origin, public API
// docs), requires what it must not generate (VAPID keys), and TRUST_PROXY names proxies, never everyone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { DEFAULT_PUSH_ENDPOINT_HOSTS } from '../../server/notifications/push-endpoints.js';
import { TEST_SECRETS, TEST_VAPID_KEYS as VAPID } from '../helpers/app.js';

const vapidKeys = { publicKey: VAPID.VAPID_PUBLIC_KEY, privateKey: VAPID.VAPID_PRIVATE_KEY };

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db.internal:5432/support',
  PUBLIC_URL: 'https://support.example.com',
  ...TEST_SECRETS,
  ...VAPID,
};

describe('loadConfig', () => {
  it('allows the Vite dev origin only in development', () => {
    expect(loadConfig({ NODE_ENV: 'development', ...TEST_SECRETS }).allowedOrigins).toContain('http://localhost:5173');
    expect(loadConfig({ NODE_ENV: 'test', ...TEST_SECRETS }).allowedOrigins).not.toContain('http://localhost:5173');
    const config = loadConfig({ ...production, ALLOWED_ORIGINS: 'https://support.example.com' });
    expect(config.allowedOrigins).toEqual(['https://support.example.com']);
  });

  it('publishes the API docs in production only when API_DOCS=true', () => {
    const base = { ...production, ALLOWED_ORIGINS: 'https://support.example.com' };
    expect(loadConfig(base).apiDocs).toBe(false);
    expect(loadConfig({ ...base, API_DOCS: 'true' }).apiDocs).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', ...TEST_SECRETS }).apiDocs).toBe(true);
  });

  it('seeds no demo accounts in production unless asked', () => {
    const base = { ...production, ALLOWED_ORIGINS: 'https://support.example.com' };
    expect(loadConfig(base).seedDemo).toBe(false);
    expect(loadConfig({ ...base, SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('trusts no proxy unless TRUST_PROXY lists them, and never everyone', () => {
    expect(loadConfig({ ...TEST_SECRETS }).trustProxy).toBe(false);
    expect(loadConfig({ ...TEST_SECRETS, NODE_ENV: 'test', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ ...TEST_SECRETS, TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...TEST_SECRETS, TRUST_PROXY: '2' })).toThrow(ConfigError);
  });

  it('reads the per-account limits', () => {
    const config = loadConfig({
      ...TEST_SECRETS,
      MESSAGE_RATE_LIMIT: '7',
      SOCKETS_PER_ACCOUNT: '2',
      OPEN_CONVERSATIONS_PER_USER: '3',
      CONVERSATIONS_PER_HOUR: '4',
      LOGIN_RATE_LIMIT_PER_ADDRESS: '9',
    });
    expect(config.limits).toEqual({
      messagesPer10Seconds: 7,
      socketsPerAccount: 2,
      openConversationsPerUser: 3,
      conversationsPerHour: 4,
    });
    expect(config.auth.loginRateLimitPerAddress).toBe(9);
  });

  it('refuses to start in production without VAPID keys unless web push is turned off', () => {
    const {
      VAPID_PUBLIC_KEY: _public,
      VAPID_PRIVATE_KEY: _private,
      ...withoutKeys
    } = {
      ...production,
      ALLOWED_ORIGINS: 'https://support.example.com',
    };
    expect(() => loadConfig(withoutKeys)).toThrow(ConfigError);
    expect(() => loadConfig(withoutKeys)).toThrow(/VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY.*WEB_PUSH=off/s);
    // Half a pair is a mistake anywhere.
    expect(() => loadConfig({ ...withoutKeys, VAPID_PUBLIC_KEY: vapidKeys.publicKey })).toThrow(/both/);

    expect(loadConfig({ ...withoutKeys, WEB_PUSH: 'off' }).notifications.vapid).toBeUndefined();
    expect(loadConfig({ ...withoutKeys, ...VAPID }).notifications.vapid).toMatchObject({
      publicKey: vapidKeys.publicKey,
      privateKey: vapidKeys.privateKey,
    });
    expect(() => loadConfig({ ...withoutKeys, WEB_PUSH: 'maybe' })).toThrow(ConfigError);
  });

  it('generates VAPID keys into the data folder outside production, once', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
    try {
      const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, ...TEST_SECRETS }).notifications.vapid;
      expect(first?.publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
      expect(fs.statSync(path.join(dataDir, 'vapid-keys.json')).mode & 0o777).toBe(0o600);
      const again = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, ...TEST_SECRETS }).notifications.vapid;
      expect(again?.publicKey).toBe(first?.publicKey);
      const off = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, WEB_PUSH: 'off', ...TEST_SECRETS });
      expect(off.notifications.vapid).toBeUndefined();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('sends pushes only to the browser push services unless PUSH_ENDPOINT_HOSTS names others', () => {
    const base = { ...production, ALLOWED_ORIGINS: 'https://support.example.com' };
    expect(loadConfig(base).notifications.pushEndpoints).toEqual({ hosts: DEFAULT_PUSH_ENDPOINT_HOSTS });
    expect(
      loadConfig({ ...TEST_SECRETS, NODE_ENV: 'test', PUSH_ENDPOINT_HOSTS: ' Push.Example.com, *.corp.test ,' })
        .notifications.pushEndpoints,
    ).toEqual({ hosts: ['push.example.com', '*.corp.test'] });
  });
});
