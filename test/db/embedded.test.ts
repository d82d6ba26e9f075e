// The embedded PostgreSQL starts where `npm start` and `npm test` run, also as root in a folder
// that other users cannot enter (root's home is mode 700; PostgreSQL runs as another user there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, packagedBinDir, startEmbeddedPostgres } from '../../server/db/embedded.js';
import { startServerProcess } from '../helpers/server-process.js';

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded PostgreSQL', () => {
  const privateFolders: string[] = [];
  const privateFolder = () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-private-'));
    fs.chmodSync(folder, 0o700);
    privateFolders.push(folder);
    return folder;
  };
  afterAll(() => {
    for (const folder of privateFolders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('runs from a mode-700 folder holding both its binaries and its data, and keeps the data', async () => {
    const project = privateFolder();
    const binDir = path.join(project, 'native', 'bin');
    fs.cpSync(path.dirname(packagedBinDir()), path.dirname(binDir), { recursive: true, verbatimSymlinks: true });
    const options = { dataDir: path.join(project, '.data', 'postgres'), persistent: true, binDir };

    const first = await startEmbeddedPostgres({ ...options, port: await freePort() });
    await query(first.serverUrl, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    await first.stop();
    expect(isAlive(first.pid)).toBe(false);

    const second = await startEmbeddedPostgres({ ...options, port: await freePort() });
    try {
      expect(second.dataDir).toBe(first.dataDir);
      expect(await query(second.serverUrl, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    } finally {
      await second.stop();
      // As root the data moved out of the private folder (see embedded.ts): remove it too.
      if (!second.dataDir.startsWith(project))
        fs.rmSync(path.dirname(second.dataDir), { recursive: true, force: true });
    }
  }, 60_000);

  it('the server starts on its embedded database with DATA_DIR in a mode-700 folder', async () => {
    const dataDir = path.join(privateFolder(), '.data');
    const server = await startServerProcess({
      DATABASE_URL: undefined,
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
    });
    try {
      expect(server.output()).not.toMatch(/EACCES/);
      const response = await fetch(`${server.baseUrl}/api/health/live`);
      expect(response.status).toBe(200);
    } finally {
      await server.stop();
      // As root the data moved out of the private folder, and the log said where: remove it.
      const moved = server.output().match(/"dataDir":"([^"]+)"/)?.[1];
      if (moved) fs.rmSync(path.dirname(moved), { recursive: true, force: true });
    }
  }, 90_000);
});
