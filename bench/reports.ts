// npm run bench:reports
// Support reports at scale: 100,000 conversations (created over the last 30 days) and 2,000,000
// messages, 80 % resolved (audited), one in ten of those reopened and resolved again, a third rated,
// in a scratch database (on DATABASE_URL's server when set, else an embedded PostgreSQL). Measures
// the whole report (summary, by day, by agent, by user type, the team snapshot) and the CSV through
// the real service, and prints p50 / p95 / max. Target: p95 under 200 ms each.
//
// Seeding switches the report triggers off and then fills SupportConversationReport with the
// migrations' own backfills (2M row-by-row trigger updates would take far longer than the queries
// measured here); the figures are the same either way (test/support/reports.test.ts).
// BENCH_KEEP_DATABASE=<name> keeps the seeded database for the next run (and for EXPLAIN).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import type { ReportQuery } from '../common/reports.js';
import { startScratchPostgres } from '../scripts/scratch-postgres.js';
import { createDb } from '../server/db/client.js';
import { applyMigrations } from '../server/db/migrator.js';
import { createAuditService } from '../server/platform/audit/audit.service.js';
import type { AdminPrincipal } from '../server/platform/auth/principal.js';
import { createSettingsService } from '../server/platform/settings/settings.service.js';
import { createReportsService } from '../server/support/reports/reports.service.js';
import { createRoutingService } from '../server/support/routing/routing.service.js';
import { createSupportEvents } from '../server/support/support-events.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const MESSAGES_PER_CONVERSATION = Number(process.env.BENCH_MESSAGES_PER_CONVERSATION ?? 20);
const USERS = Number(process.env.BENCH_USERS ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TARGET_P95_MS = 200;

/** The report rows' backfill statements of the migrations (run after seeding, with the triggers off). */
const migrationTail = (name: string, marker: string) =>
  fs
    .readFileSync(path.resolve(import.meta.dirname, `../prisma/migrations/${name}/migration.sql`), 'utf8')
    .split(marker)[1]
    ?.replace(/^[^\n]*\n/, '') ?? 'SELECT 1';
const BACKFILL = [
  migrationTail('20261128071000_reports', '-- Conversations that exist already'),
  migrationTail('20261128081000_report_daily', '-- Rows that exist already'),
];

async function seed(db: ReturnType<typeof createDb>) {
  const step = async (label: string, ...statements: string[]) => {
    const t0 = performance.now();
    for (const sql of statements) await db.$executeRawUnsafe(sql);
    console.log(`  ${label.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  console.log('Seeding:');
  await step(
    'report triggers off',
    'ALTER TABLE "SupportConversation" DISABLE TRIGGER support_report_conversation_inserted',
    'ALTER TABLE "SupportConversation" DISABLE TRIGGER support_report_conversation_updated',
    'ALTER TABLE "SupportMessage" DISABLE TRIGGER support_report_message_inserted',
  );
  await step(
    'admins',
    `WITH role AS (INSERT INTO "AdminRole"(name, permissions) VALUES ('Bench agent', '{SUPPORT_CHAT}') RETURNING id),
     users AS (INSERT INTO "User"(email, "passwordHash", role)
               SELECT 'agent' || i || '@bench.test', 'x', 'admin' FROM generate_series(1, 20) i RETURNING id, email)
     INSERT INTO "AdminProfile"("userId", "roleId", "displayName")
     SELECT users.id, role.id, 'Agent ' || split_part(users.email, '@', 1) FROM users, role`,
    `CREATE UNLOGGED TABLE bench_admins AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM "AdminProfile"`,
  );
  await step(
    `${USERS} users`,
    `INSERT INTO "User"(email, "passwordHash", role)
     SELECT 'user' || i || '@bench.test', 'x', (ARRAY['driver', 'customer', 'restaurant'])[1 + i % 3]::"UserRole"
     FROM generate_series(1, ${USERS}) i`,
    `CREATE UNLOGGED TABLE bench_users AS
       SELECT row_number() OVER (ORDER BY id) AS n, id, role::text::"UserType" AS type FROM "User" WHERE role <> 'admin'`,
    'CREATE INDEX ON bench_users (n)',
  );
  await step(
    `${CONVERSATIONS} conversations`,
    `INSERT INTO "SupportConversation"(id, "userId", "userType", "adminId", status, "createdAt", "lastMessageAt", "updatedAt", "resolvedAt")
     SELECT gen_random_uuid(), u.id, u.type, CASE WHEN i % 50 = 0 THEN NULL ELSE a.id END,
            CASE WHEN i % 10 < 8 THEN 'resolved' ELSE 'open' END::"SupportConversationStatus",
            now() - (i % 30) * interval '1 day' - (i * 7 % 1440) * interval '1 minute', now(), now(),
            CASE WHEN i % 10 < 8 THEN now() - (i % 30) * interval '1 day' + (i % 300) * interval '1 minute' END
     FROM generate_series(1, ${CONVERSATIONS}) i
     JOIN bench_users u ON u.n = 1 + (i * 37) % ${USERS}
     JOIN bench_admins a ON a.n = i % 20`,
  );
  await step(
    `${CONVERSATIONS * MESSAGES_PER_CONVERSATION} messages`,
    `INSERT INTO "SupportMessage"("conversationId", "senderType", "messageType", body, read, "createdAt", seq)
     SELECT c.id, CASE WHEN k % 2 = 0 THEN 'admin' ELSE 'user' END::"SupportSenderType", 'text', 'Message ' || k, true,
            c."createdAt" + k * interval '2 minutes' + (hashtext(c.id::text) % 60) * interval '1 second', k
     FROM "SupportConversation" c, generate_series(1, ${MESSAGES_PER_CONVERSATION}) k`,
  );
  await step(
    'resolutions (audit), reopens, ratings',
    `INSERT INTO "AuditLog"(action, "actorType", "targetType", "targetId", "createdAt")
     SELECT 'SUPPORT_CONVERSATION_RESOLVED', 'admin', 'SupportConversation', c.id::text, c."resolvedAt" - r * interval '1 hour'
     FROM "SupportConversation" c, generate_series(0, 1) r
     WHERE c.status = 'resolved' AND (r = 0 OR hashtext(c.id::text) % 10 = 0)`,
    `INSERT INTO "ConversationRating"("conversationId", "userId", "resolvedAt", rating)
     SELECT id, "userId", "resolvedAt", 1 + abs(hashtext(id::text)) % 5 FROM "SupportConversation"
     WHERE status = 'resolved' AND abs(hashtext(id::text)) % 3 = 0`,
  );
  await step(
    'report rows (migration backfill)',
    ...BACKFILL,
    'ALTER TABLE "SupportConversation" ENABLE TRIGGER ALL',
    'ALTER TABLE "SupportMessage" ENABLE TRIGGER ALL',
  );
}

async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function measure(label: string, run: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  console.log(
    `${label.padEnd(44)} ${percentile(times, 50).toFixed(1).padStart(7)} ${p95.toFixed(1).padStart(7)} ${(times.at(-1) ?? 0).toFixed(1).padStart(8)}  ${p95 < TARGET_P95_MS ? 'ok' : 'MISSED'}`,
  );
}

// BENCH_KEEP_DATABASE=name seeds a database of that name once and keeps it; later runs with the same
// name reuse it (migrations are applied, seeding is skipped), e.g. for EXPLAIN ANALYZE in psql.
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE;

const postgres = await startScratchPostgres();
const database = KEEP_DATABASE ?? `support_chat_bench_reports_${process.pid}`;
try {
  const reuse = KEEP_DATABASE !== undefined && (await databaseExists(postgres.serverUrl, database));
  const url = reuse ? postgres.urlFor(database) : await postgres.createDatabase(database);
  await applyMigrations({ databaseUrl: url });
  const db = createDb(url, { maxConnections: 8, statementTimeoutMs: 0 });
  if (reuse) console.log(`Reusing the seeded database ${database}.`);
  else await seed(db);
  // As autovacuum leaves a table that has settled: statistics, and the visibility map that lets the
  // report read durations from its indexes alone (index-only scans).
  await db.$executeRawUnsafe('VACUUM ANALYZE');
  const logger = pino({ level: 'silent' });
  const audit = createAuditService({ db, logger });
  const settings = createSettingsService({ db, audit, logger });
  const routing = createRoutingService({ db, audit, settings, events: createSupportEvents(logger), logger });
  const reports = createReportsService({ db, routing });
  const agent = await db.adminProfile.findFirstOrThrow({ orderBy: { id: 'asc' } });
  const lead: AdminPrincipal = {
    kind: 'admin',
    userId: agent.userId,
    adminId: agent.id,
    permissions: ['SUPPORT_REPORTS'],
  };
  const q = (query: Partial<ReportQuery>): ReportQuery => ({ period: '30d', tz: 'Europe/London', ...query });

  console.log(
    `${'report (4 statements + team snapshot), ms'.padEnd(44)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(8)}`,
  );
  await measure('30 days, everything (100k conversations)', () => reports.report(lead, q({})));
  await measure('30 days, tz America/Los_Angeles', () => reports.report(lead, q({ tz: 'America/Los_Angeles' })));
  await measure('7 days', () => reports.report(lead, q({ period: '7d' })));
  await measure('today', () => reports.report(lead, q({ period: 'today' })));
  await measure('30 days, userType = driver', () => reports.report(lead, q({ userType: 'driver' })));
  await measure('30 days, one agent', () => reports.report(lead, q({ adminId: agent.id })));
  await measure('30 days, order-linked', () => reports.report(lead, q({ order: 'linked' })));
  // The whole streamed body, read to its end.
  const csv = async (query: ReportQuery) => {
    let bytes = 0;
    for await (const chunk of (await reports.csv(lead, query)).lines) bytes += chunk.length;
    return bytes;
  };
  await measure('CSV, 30 days: header + first 5,000 rows', async () => {
    const { lines } = await reports.csv(lead, q({}));
    await lines.next();
    await lines.next();
    await lines.return(undefined);
  });
  await measure('CSV, 7 days (~23k rows)', () => csv(q({ period: '7d' })));
  await measure('CSV, 30 days (100k rows)', () => csv(q({})));
  await db.$disconnect();
} finally {
  if (!KEEP_DATABASE) await postgres.dropDatabase(database).catch(() => undefined);
  await postgres.stop();
}
