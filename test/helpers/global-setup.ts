// Compiles the server (the multi-process tests run the production build, dist/), starts one
// PostgreSQL server for the whole run (DATABASE_URL's server when given, otherwise an embedded
// one) and prepares a migrated template database; each test file clones it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startScratchPostgres } from '../../scripts/scratch-postgres.js';
import { applyMigrations } from '../../server/db/migrator.js';

export const TEMPLATE_DATABASE = `support_chat_test_template_${process.pid}`;

declare module 'vitest' {
  export interface ProvidedContext {
    postgresServerUrl: string;
    templateDatabase: string;
  }
}

const root = path.resolve(import.meta.dirname, '../..');

export default async function setup(project: TestProject) {
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  const postgres = await startScratchPostgres();
  const templateUrl = await postgres.createDatabase(TEMPLATE_DATABASE);
  await applyMigrations({ databaseUrl: templateUrl });
  project.provide('postgresServerUrl', postgres.serverUrl);
  project.provide('templateDatabase', TEMPLATE_DATABASE);
  return async () => {
    await postgres.dropDatabase(TEMPLATE_DATABASE).catch(() => {});
    await postgres.stop();
  };
}
