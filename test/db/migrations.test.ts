// The migrations build exactly the schema that prisma/schema.prisma describes, are recorded the
// way Prisma records them, and are safe to run twice and from two processes at once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDatabaseToSchema } from '../../scripts/schema-engine.js';
import { applyMigrations, readMigrations } from '../../server/db/migrator.js';
import { createEmptyDatabase } from '../helpers/database.js';

describe('migrations', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;

  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(() => database.drop());

  it('apply from two processes at once: one applies, the other finds nothing left', async () => {
    const [first, second] = await Promise.all([
      applyMigrations({ databaseUrl: database.url }),
      applyMigrations({ databaseUrl: database.url }),
    ]);
    const all = readMigrations().map((m) => m.name);
    expect([...first.applied, ...second.applied].sort()).toEqual(all);
    expect(first.applied.length === 0 || second.applied.length === 0).toBe(true);
  });

  it('running again applies nothing', async () => {
    expect(await applyMigrations({ databaseUrl: database.url })).toEqual({ applied: [], warnings: [] });
  });

  it('records each migration in _prisma_migrations as Prisma does', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    await client.end();
    expect(rows).toEqual(
      readMigrations().map((m) => ({
        migration_name: m.name,
        checksum: m.checksum,
        finished_at: expect.any(Date),
        applied_steps_count: 1,
        rolled_back_at: null,
      })),
    );
  });

  it('the migrated database matches schema.prisma (Prisma schema engine diff is empty)', async () => {
    expect(await diffDatabaseToSchema(database.url)).toBe('');
  });

  it('the drift check notices a difference (index, nullability, default)', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('DROP INDEX "SupportMessage_conversationId_createdAt_idx"');
    await client.query('ALTER TABLE "SupportMessage" ALTER COLUMN "body" SET NOT NULL');
    await client.query('ALTER TABLE "SupportConversation" ALTER COLUMN "status" DROP DEFAULT');
    await client.query('COMMIT');
    const diff = await diffDatabaseToSchema(database.url);
    await client.query(
      'CREATE INDEX "SupportMessage_conversationId_createdAt_idx" ON "SupportMessage"("conversationId", "createdAt")',
    );
    await client.query('ALTER TABLE "SupportMessage" ALTER COLUMN "body" DROP NOT NULL');
    await client.query(`ALTER TABLE "SupportConversation" ALTER COLUMN "status" SET DEFAULT 'open'`);
    await client.end();
    expect(diff).toContain('CREATE INDEX "SupportMessage_conversationId_createdAt_idx"');
    expect(diff).toContain('ALTER COLUMN "body" DROP NOT NULL');
    expect(diff).toContain(`ALTER COLUMN "status" SET DEFAULT 'open'`);
    expect(await diffDatabaseToSchema(database.url)).toBe('');
  });

  // A GIN index merges its pending list inside whichever write fills it: with the default 4 MB
  // that write took 20–130 ms, and the messages behind it were the send-to-delivery p99.
  it('a message writes no GIN index that merges a large pending list', async () => {
    await applyMigrations({ databaseUrl: database.url });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ table: string; index: string; options: string[] | null }>(
      `SELECT t.relname AS table, i.relname AS index, i.reloptions AS options
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
       JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE am.amname = 'gin' AND n.nspname = 'public' ORDER BY 2`,
    );
    await client.end();
    // The conversation row, updated by every message, carries no GIN index at all.
    expect(rows.map((row) => row.table)).not.toContain('SupportConversation');
    expect(rows.map((row) => row.index)).toEqual([
      'SupportMessage_searchVector_idx',
      'SupportNote_searchVector_idx',
      'SupportUserSearch_searchText_trgm_idx',
    ]);
    for (const row of rows) expect(row.options).toContain('gin_pending_list_limit=128');
  });

  it('a failing migration leaves nothing behind and stops the next run', async () => {
    const broken = await createEmptyDatabase();
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    fs.mkdirSync(path.join(dir, '001_ok'));
    fs.writeFileSync(path.join(dir, '001_ok', 'migration.sql'), 'CREATE TABLE a (id int);');
    fs.mkdirSync(path.join(dir, '002_broken'));
    fs.writeFileSync(
      path.join(dir, '002_broken', 'migration.sql'),
      'CREATE TABLE b (id int); SELECT no_such_function();',
    );
    await expect(applyMigrations({ databaseUrl: broken.url, migrationsDir: dir })).rejects.toThrow(/002_broken failed/);
    const client = new pg.Client({ connectionString: broken.url });
    await client.connect();
    const tables = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    const recorded = await client.query('SELECT migration_name FROM "_prisma_migrations"');
    await client.end();
    expect(tables.rows.map((r) => r.tablename)).toEqual(['_prisma_migrations', 'a']);
    expect(recorded.rows.map((r) => r.migration_name)).toEqual(['001_ok']);
    fs.rmSync(dir, { recursive: true });
    await broken.drop();
  });
});
