// The real server as a separate process, for tests that need several of them: the production
// build (dist/server/main.js, compiled by the test run's global setup or `npm run build:server`).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../server/db/embedded.js';
import { TEST_SECRETS, TEST_VAPID_KEYS } from './app.js';

const root = path.resolve(import.meta.dirname, '../..');
const COMPILED_MAIN = path.join(root, 'dist/server/main.js');

const withoutUndefined = (env: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));

export type ServerProcess = {
  baseUrl: string;
  pid: number;
  output(): string;
  /** Sends a signal (e.g. SIGKILL, to simulate a crash) and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** False once the process has exited (crashed or stopped). */
  alive(): boolean;
  /** The exit code once it exited by itself (null while running or when a signal killed it). */
  exitCode(): number | null;
  stop(): Promise<void>;
};

/** `env` adds to this process's environment; a variable set to undefined is removed. */
export async function startServerProcess(
  env: Record<string, string | undefined>,
  /** port: a given one (a node restarted in place behind a load balancer), else a free one. */
  options: { nodeArgs?: string[]; port?: number } = {},
): Promise<ServerProcess> {
  if (!fs.existsSync(COMPILED_MAIN)) throw new Error('Compile the server first: npm run build:server');
  const port = options.port ?? (await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-node-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--enable-source-maps', COMPILED_MAIN],
    {
      cwd: root,
      env: withoutUndefined({
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        SEED_DEMO: 'false',
        // Tests send many messages per account; the limit tests set their own.
        MESSAGE_RATE_LIMIT: '1000',
        OPEN_CONVERSATIONS_PER_USER: '1000',
        CONVERSATIONS_PER_HOUR: '1000',
        LOG_LEVEL: 'warn',
        ...TEST_SECRETS,
        ...TEST_VAPID_KEYS,
        ...env,
      }),
      stdio: 'pipe',
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const check = setInterval(() => {
      if (output.includes('Support Chat is running')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    output: () => output,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    exitCode: () => child.exitCode,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
