// npm run db:migration:new <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes a database with
// every existing migration applied to what prisma/schema.prisma describes. Review it before
// committing (data moves, renames and CONCURRENTLY indexes need a human).
import fs from 'node:fs';
import path from 'node:path';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from '../server/db/migrator.js';
import { diffDatabaseToSchema } from './schema-engine.js';
import { startScratchPostgres } from './scratch-postgres.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:migration:new <name>   (lower case, digits and _)');
  process.exit(2);
}

const postgres = await startScratchPostgres();
const database = `migration_scratch_${process.pid}`;
try {
  const url = await postgres.createDatabase(database);
  await applyMigrations({ databaseUrl: url });
  const sql = await diffDatabaseToSchema(url);
  if (!sql.trim()) {
    console.log('schema.prisma and the migrations agree: nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(DEFAULT_MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await postgres.dropDatabase(database).catch(() => {});
  await postgres.stop();
}
