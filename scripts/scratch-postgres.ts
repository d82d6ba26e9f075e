// A PostgreSQL server for tests and tools: the one named by DATABASE_URL when given (its server,
// not its database: scratch databases are created beside it), otherwise a throw-away embedded one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startEmbeddedPostgres } from '../server/db/embedded.js';

export type ScratchPostgres = {
  serverUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string, options?: { template?: string }): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Runs a statement on the server's maintenance database. */
  run(sql: string): Promise<void>;
  stop(): Promise<void>;
};

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startScratchPostgres(databaseUrl = process.env.DATABASE_URL): Promise<ScratchPostgres> {
  let serverUrl: string;
  let stop = async () => {};
  if (databaseUrl) {
    serverUrl = withDatabase(databaseUrl, 'postgres');
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-pg-'));
    fs.chmodSync(dataDir, 0o777);
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'data'),
      port: await freePort(),
      persistent: false,
    });
    serverUrl = embedded.serverUrl;
    stop = async () => {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const urlFor = (database: string) => withDatabase(serverUrl, database);
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return {
    serverUrl,
    urlFor,
    async createDatabase(name, options = {}) {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
      const template = options.template ? ` TEMPLATE ${quote(options.template)}` : '';
      await adminQuery(serverUrl, `CREATE DATABASE ${quote(name)}${template}`);
      return urlFor(name);
    },
    async dropDatabase(name) {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    },
    run: (sql) => adminQuery(serverUrl, sql),
    stop,
  };
}
