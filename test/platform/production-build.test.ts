// The production build (dist/, compiled by the run's global setup as `npm run build:server` does)
// needs only the production dependencies, and starts in production mode: what an operator gets
// from `npm ci --omit=dev && npm run start:prod` with the build copied in.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';

const root = path.resolve(import.meta.dirname, '../..');

function compiledFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return compiledFiles(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

/** The package a bare specifier names: `pino`, `@prisma/client/runtime/x.mjs` -> `@prisma/client`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('the production build', () => {
  it('imports nothing outside the production dependencies', () => {
    const { dependencies } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of compiledFiles(path.join(root, 'dist'))) {
      const source = fs.readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"./][^'"]*)['"]/g)) {
        const specifier = match[1] ?? '';
        if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        imported.add(packageOf(specifier));
      }
    }
    expect(imported.size).toBeGreaterThan(10);
    // pino-pretty is loaded only when present (development terminals); JSON logs without it.
    const outside = [...imported].filter((name) => !(name in dependencies) && name !== 'pino-pretty');
    expect(outside).toEqual([]);
  });

  describe('started with NODE_ENV=production', () => {
    let database: TestDatabase;
    let server: ServerProcess;

    beforeAll(async () => {
      database = await createTestDatabase();
      server = await startServerProcess({
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        ALLOWED_ORIGINS: 'https://support.example.test',
        PUBLIC_URL: 'https://support.example.test',
        LOG_LEVEL: 'info',
      });
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    it('is ready, logs JSON, and keeps development conveniences and metrics off', async () => {
      const ready = await fetch(`${server.baseUrl}/api/health/ready`);
      expect(ready.status).toBe(200);
      expect(await fetch(`${server.baseUrl}/api/docs`).then((r) => r.status)).toBe(404);
      // Metrics are off without METRICS_TOKEN.
      expect(await fetch(`${server.baseUrl}/metrics`).then((r) => r.status)).toBe(404);
      const logLines = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'));
      expect(logLines.length).toBeGreaterThan(0);
      for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
      expect(server.output()).not.toContain('Demo logins');
    });

    it('drains on SIGTERM and exits by itself with code 0', async () => {
      const started = Date.now();
      await server.kill('SIGTERM');
      expect(server.exitCode()).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(server.output()).toContain('"msg":"drained"');
    });
  });
});
