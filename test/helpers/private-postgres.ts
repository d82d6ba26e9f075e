// A PostgreSQL server of a test's own, for tests that kill connections, stop, restart or freeze
// the database. Never the run's shared server: other test files keep using that one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '../../server/db/embedded.js';
import { applyMigrations, ensureDatabase } from '../../server/db/migrator.js';

const DATABASE = 'support_chat_faults';

export type PrivatePostgres = {
  /** The migrated application database. */
  url: string;
  /** Ends the backends of the application database whose query matches `queryLike` (SQL LIKE). */
  terminateBackends(queryLike?: string): Promise<number>;
  /** Stops the server and starts it again on the same port and data. */
  restart(): Promise<void>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** SIGSTOP / SIGCONT every PostgreSQL process: connections stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  destroy(): Promise<void>;
};

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-private-pg-'));
  const port = await freePort();
  const start = () => startEmbeddedPostgres({ dataDir, port, persistent: true });
  let server: EmbeddedDatabase | undefined = await start();
  await ensureDatabase(server.serverUrl, DATABASE);
  const url = server.urlFor(DATABASE);
  const serverUrl = server.serverUrl;
  await applyMigrations({ databaseUrl: url });

  let frozen: string[] = [];
  const processes = () => {
    const postmaster = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '';
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', postmaster]).toString().trim().split(/\s+/);
    return [postmaster, ...children].filter(Boolean);
  };

  const self: PrivatePostgres = {
    url,
    async terminateBackends(queryLike = '%') {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
           WHERE datname = $1 AND pid <> pg_backend_pid() AND query LIKE $2`,
          [DATABASE, queryLike],
        );
        return rows.filter((row) => row.ended).length;
      } finally {
        await client.end();
      }
    },
    async stopServer() {
      await server?.stop();
      server = undefined;
    },
    async startServer() {
      server = await start();
    },
    async restart() {
      await self.stopServer();
      await self.startServer();
    },
    freeze() {
      frozen = processes();
      execFileSync('kill', ['-STOP', ...frozen]);
    },
    thaw() {
      if (frozen.length) execFileSync('kill', ['-CONT', ...frozen]);
      frozen = [];
    },
    async destroy() {
      self.thaw();
      await server?.stop().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
