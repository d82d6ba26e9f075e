// Starts the product for the browser tests the way `npm start` does (server/main.ts with the
// built web app, migrations and demo seed), on a fresh database: the embedded PostgreSQL in a
// temporary DATA_DIR, or a new database on DATABASE_URL's server when that is set.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startScratchPostgres } from '../scripts/scratch-postgres.js';
import { E2E_PORT } from './playwright.config.js';

const root = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function waitForStart(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`The server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Support Chat is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with code ${code}:\n${output}`));
    });
  });
}

export default async function globalSetup() {
  if (!fs.existsSync(path.join(root, 'web/dist/index.html'))) {
    throw new Error('Build the web app first: npm run build:web (npm run test:e2e does it).');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-e2e-'));
  fs.chmodSync(dataDir, 0o777);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(E2E_PORT),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${E2E_PORT}`,
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Every browser test signs in and opens conversations from 127.0.0.1 with the demo accounts.
    LOGIN_RATE_LIMIT_PER_ADDRESS: '1000',
    OPEN_CONVERSATIONS_PER_USER: '1000',
    CONVERSATIONS_PER_HOUR: '1000',
  };
  // On DATABASE_URL's server: a database of this run's own, dropped when it ends.
  const scratch = process.env.DATABASE_URL ? await startScratchPostgres(process.env.DATABASE_URL) : null;
  const database = `support_chat_e2e_${process.pid}`;
  if (scratch) env.DATABASE_URL = await scratch.createDatabase(database);

  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, stdio: 'pipe' });
  await waitForStart(server);
  return async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    // A database per run on a shared server: left behind, they piled up run after run.
    await scratch?.dropDatabase(database);
  };
}
