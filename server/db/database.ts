// Opens the application database: DATABASE_URL when given, otherwise an embedded PostgreSQL
// under DATA_DIR/postgres. Migrations are applied before anything else touches it.
import path from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { startEmbeddedPostgres } from './embedded.js';
import { applyMigrations, ensureDatabase } from './migrator.js';

export const EMBEDDED_DATABASE_NAME = 'support_chat';

export type OpenedDatabase = {
  url: string;
  /** Where the embedded PostgreSQL keeps its data; undefined with DATABASE_URL. */
  embeddedDataDir: string | undefined;
  close(): Promise<void>;
};

export async function openDatabase(config: AppConfig, logger: Logger): Promise<OpenedDatabase> {
  let url = config.databaseUrl;
  let close = async () => {};
  let embeddedDataDir: string | undefined;
  if (!url) {
    const started = Date.now();
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'postgres'),
      port: config.embeddedPgPort,
      persistent: true,
      onLog: (line) => logger.debug({ postgres: line }, 'embedded postgres'),
    });
    await ensureDatabase(embedded.serverUrl, EMBEDDED_DATABASE_NAME);
    url = embedded.urlFor(EMBEDDED_DATABASE_NAME);
    close = () => embedded.stop();
    embeddedDataDir = embedded.dataDir;
    if (embedded.dataDir !== path.resolve(config.dataDir, 'postgres')) {
      logger.warn(
        { dataDir: embedded.dataDir },
        "the embedded PostgreSQL keeps its data outside DATA_DIR: its server user cannot enter DATA_DIR's folder",
      );
    }
    logger.info({ port: config.embeddedPgPort, ms: Date.now() - started }, 'embedded PostgreSQL started');
  }
  try {
    const { applied, warnings } = await applyMigrations({ databaseUrl: url });
    for (const warning of warnings) logger.warn(warning);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
  } catch (error) {
    await close();
    throw error;
  }
  return { url, embeddedDataDir, close };
}
