// loadConfig: production turns off what only development needs (the Vite origin, public API
// docs), and TRUST_PROXY names proxies, never everyone.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { TEST_SECRETS } from '../helpers/app.js';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db.internal:5432/support',
  PUBLIC_URL: 'https://support.example.com',
  ...TEST_SECRETS,
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
});
