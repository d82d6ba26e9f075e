// Starts one PostgreSQL server for the whole run (DATABASE_URL's server when given, otherwise an
// embedded one) and prepares a migrated template database; each test file clones it.
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

export default async function setup(project: TestProject) {
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
