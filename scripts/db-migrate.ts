// npm run db:migrate: applies pending migrations to DATABASE_URL, or to the embedded PostgreSQL
// under DATA_DIR when DATABASE_URL is unset (starting and stopping it around the run).
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { createLogger } from '../server/logger.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config, logger);
await database.close();
