// A fresh, migrated database per test file, cloned from the run's template (see global-setup.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../server/db/client.js';

export type TestDatabase = { url: string; name: string; db: Db; drop(): Promise<void> };

function urlFor(serverUrl: string, database: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: inject('postgresServerUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An empty database (no migrations), for migration tests. */
export async function createEmptyDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `support_chat_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: urlFor(inject('postgresServerUrl'), name),
    drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `support_chat_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDatabase')}"`);
  const url = urlFor(inject('postgresServerUrl'), name);
  const db = createDb(url, { maxConnections: 5 });
  return {
    url,
    name,
    db,
    async drop() {
      await db.$disconnect();
      await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
