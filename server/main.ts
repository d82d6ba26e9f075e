// Boot: config -> database (embedded or DATABASE_URL) -> migrations -> demo seed -> listen.
import path from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { openDatabase } from './db/database.js';
import { EmbeddedPostgresUnavailable } from './db/embedded.js';
import { createLogger, prettyDestination } from './logger.js';
import { demoLoginLines, seedDemoConversations, seedDemoData } from './seed/demo-seed.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, config.logFormat === 'pretty' ? await prettyDestination() : undefined);
  const database = await openDatabase(config, logger);
  const db = createDb(database.url, {
    maxConnections: config.databasePoolSize,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    logger,
  });
  const { app, services, drainAndClose } = await buildApp({ config, db, databaseUrl: database.url, logger });
  if (config.seedDemo) {
    const { created } = await seedDemoData(db);
    const conversations = await seedDemoConversations(db, services);
    if (created + conversations > 0) logger.info({ accounts: created, conversations }, 'demo data created');
  }

  // SIGTERM (a deploy, an orchestrator) drains first; Ctrl-C (SIGINT) too. Either way the process
  // is gone within SHUTDOWN_TIMEOUT_MS, whatever is still running.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdown.timeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdown.timeoutMs).unref();
    await drainAndClose().catch((error) => logger.error({ err: error }, 'closing the server failed'));
    await db.$disconnect().catch(() => {});
    await database.close().catch((error) => logger.error({ err: error }, 'stopping PostgreSQL failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  printBanner(config.publicUrl, database.embeddedDataDir, { apiDocs: config.apiDocs, demoSeeded: config.seedDemo });
}

/** Demo logins and the docs link only where they exist (both are off in production by default). */
/** Relative to the working folder when inside it (.data/postgres), absolute otherwise. */
function shortPath(folder: string) {
  const relative = path.relative(process.cwd(), folder);
  return relative.startsWith('..') || path.isAbsolute(relative) ? folder : relative;
}

function printBanner(
  url: string,
  embeddedDataDir: string | undefined,
  shown: { apiDocs: boolean; demoSeeded: boolean },
) {
  const lines = [
    '',
    `  Support Chat is running at ${url}`,
    `  Database: ${embeddedDataDir ? `embedded PostgreSQL (${shortPath(embeddedDataDir)})` : 'DATABASE_URL'}`,
    ...(shown.apiDocs ? [`  API docs: ${url}/api/docs`] : []),
    ...(shown.demoSeeded ? ['', ...demoLoginLines()] : []),
    '',
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresUnavailable) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Support Chat failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
