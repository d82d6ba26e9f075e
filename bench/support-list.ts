// npm run bench:support
// The admin inbox at scale: 100,000 conversations and 2,000,000 messages from 30,000 users, in a
// scratch database (on DATABASE_URL's server when set, else an embedded PostgreSQL), with 100,000
// orders (two items each) linked to four conversations in five (about two per order). Measures
// listAdminConversations (first page, a deep page, searches, filters) and the admin unread total
// through the real service, and prints p50 / p95 / max. Target: p95 under 25 ms each, and under
// 50 ms for full-text search over message and note bodies (the seed writes varied text for it).
// Then the same inbox end to end over HTTP (a real server process: token, JSON, the response as a
// browser gets it) and a conversation's history, p50 / p95 / p99; BENCH_HISTORY=<n> (e.g.
// 10000000) adds messages until the table holds n and measures the inbox and history again.
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { AdminConversationsQuery } from '../common/support.js';
import { startScratchPostgres } from '../scripts/scratch-postgres.js';
import { loadConfig } from '../server/config.js';
import { createDb, poolOf } from '../server/db/client.js';
import { applyMigrations } from '../server/db/migrator.js';
import { createAuditService } from '../server/platform/audit/audit.service.js';
import type { AdminPrincipal } from '../server/platform/auth/principal.js';
import { createTokenService } from '../server/platform/auth/tokens.js';
import { createDocumentsService } from '../server/platform/documents/documents.service.js';
import { createLocalDiskStorage } from '../server/platform/documents/storage.js';
import { createRateLimits, rateLimitSettings } from '../server/platform/limits/rate-limits.js';
import { createOrdersService } from '../server/platform/orders/orders.service.js';
import { createProfilesService } from '../server/platform/profiles/profiles.service.js';
import { createSettingsService } from '../server/platform/settings/settings.service.js';
import { createRoutingService } from '../server/support/routing/routing.service.js';
import { createSupportService } from '../server/support/support.service.js';
import { createSupportEvents } from '../server/support/support-events.js';
import { wakeSnoozed } from '../server/support/workflow/workflow.service.js';
import { TEST_SECRETS } from '../test/helpers/app.js';
import { type ServerProcess, startServerProcess } from '../test/helpers/server-process.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const MESSAGES_PER_CONVERSATION = Number(process.env.BENCH_MESSAGES_PER_CONVERSATION ?? 20);
const USERS_PER_TYPE = Number(process.env.BENCH_USERS_PER_TYPE ?? 10_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const FIRST_ORDER_NUMBER = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const TARGET_P95_MS = 25;
const TARGET_FULL_TEXT_P95_MS = 50;

const FIRST = [
  'Olivia',
  'Liam',
  'Amelia',
  'Noah',
  'Isla',
  'Oliver',
  'Ava',
  'George',
  'Mia',
  'Arthur',
  'Sofia',
  'Leo',
  'Grace',
  'Oscar',
  'Lily',
  'Harry',
  'Freya',
  'Jack',
  'Ella',
  'Charlie',
  'Aisha',
  'Mohammed',
  'Priya',
  'Kenji',
  'Chloe',
];
const LAST = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Wright',
  'Khan',
  'Walker',
  'Evans',
  'Thomas',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Clarke',
  'Okafor',
  'Nguyen',
  'Rossi',
  'Novak',
  'Silva',
  'Murphy',
];

// Message text for full-text search: a sentence (10 templates), an adjective and a dish (20 x 25),
// a topic word (40), and in one message in 200 a reference code shared by about 100 messages. So a
// topic word is in 2.5% of the messages (50,000), a dish in 4%, "spicy ramen" in 0.2%, a code in
// 0.005%, and each template's words in 10% or more (some in every message: "my", "the").
const TEMPLATES = [
  'Hi, my order is late and the driver is not answering',
  'The food arrived cold and the box was damaged',
  'Can you check where my delivery is please',
  'I was charged twice for the same order',
  'The restaurant says they never received the order',
  'My payout for last week is missing',
  'The app crashed when I tried to pay',
  'Thanks for the quick help, all sorted now',
  'The customer was not at the address',
  'We are out of stock, can the order be changed',
];
const ADJECTIVES =
  'spicy mild crispy vegan fresh frozen soggy burnt salty sweet sour cheesy creamy smoky tangy grilled fried baked steamed raw'.split(
    ' ',
  );
const DISHES =
  'ramen pizza burger curry noodles sushi salad tacos burrito kebab falafel dumplings pho lasagne risotto paella biryani shawarma gyoza bibimbap pad-thai poke wrap soup pancakes'.split(
    ' ',
  );
const TOPICS =
  'allergy refund voucher invoice receipt tip cancellation discount promo allergen gluten halal kosher spillage packaging cutlery napkins drinks dessert sauce parking lift gate intercom doorbell scooter bike helmet bag battery tyre fuel payout bonus rating review account password login address postcode'.split(
    ' ',
  );
const NOTES_EVERY = 10;

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;

async function seed(db: ReturnType<typeof createDb>) {
  const started = performance.now();
  const step = async (label: string, ...statements: string[]) => {
    const t0 = performance.now();
    for (const sql of statements) await db.$executeRawUnsafe(sql);
    console.log(`  ${label.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  console.log('Seeding:');
  await step(
    'admins',
    `
    WITH role AS (INSERT INTO "AdminRole"(name, permissions) VALUES ('Bench agent', '{SUPPORT_CHAT}') RETURNING id),
    users AS (
      INSERT INTO "User"(email, "passwordHash", role)
      SELECT 'agent' || i || '@bench.test', 'x', 'admin' FROM generate_series(1, 20) i RETURNING id, email)
    INSERT INTO "AdminProfile"("userId", "roleId", "displayName")
    SELECT users.id, role.id, 'Agent ' || split_part(users.email, '@', 1) FROM users, role`,
  );
  for (const [type, table, columns, values] of [
    ['driver', 'DriverProfile', '"fullName", phone, city, "vehicleType"', `name, phone, 'London', 'scooter'`],
    ['customer', 'CustomerProfile', '"fullName", phone, city', `name, phone, 'Leeds'`],
    [
      'restaurant',
      'RestaurantProfile',
      'name, "contactName", phone, address, city, cuisine',
      `name || ' Kitchen', name, phone, '1 High St', 'Leeds', 'Thai'`,
    ],
  ] as const) {
    const offset = type === 'driver' ? 0 : type === 'customer' ? 1 : 2;
    await step(
      `${USERS_PER_TYPE} ${type}s`,
      `
      WITH users AS (
        INSERT INTO "User"(email, "passwordHash", role)
        SELECT '${type}' || i || '@bench.test', 'x', '${type}' FROM generate_series(1, ${USERS_PER_TYPE}) i
        RETURNING id, substring(email from '[0-9]+')::int AS i)
      INSERT INTO "${table}"("userId", ${columns})
      SELECT id, ${values} FROM (
        SELECT id,
          (${sqlArray(FIRST)})[1 + (i * 7 + ${offset}) % ${FIRST.length}] || ' ' || (${sqlArray(LAST)})[1 + (i * 13 + ${offset}) % ${LAST.length}] AS name,
          '+44 7' || lpad(((i * 7919 + ${offset * 1_000_003}) % 1000000000)::text, 9, '0') AS phone
        FROM users) u`,
    );
  }
  await step(
    'numbering users and admins',
    `CREATE UNLOGGED TABLE bench_users AS
       SELECT row_number() OVER (ORDER BY email) AS n, id, role::text::"UserType" AS type FROM "User" WHERE role <> 'admin'`,
    `CREATE UNLOGGED TABLE bench_admins AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM "AdminProfile"`,
    'CREATE INDEX ON bench_users (n)',
    'CREATE INDEX ON bench_admins (n)',
  );
  await step(
    `${CONVERSATIONS} conversations`,
    `
    INSERT INTO "SupportConversation"(id, "userId", "userType", "adminId", status, "snoozedUntil", priority, subject,
                                      "createdAt", "lastMessageAt", "updatedAt", "unreadForAdmin", "unreadForUser")
    SELECT gen_random_uuid(), u.id, u.type,
           CASE WHEN i % 5 = 0 THEN NULL ELSE a.id END,
           -- 20% open, 3% pending, 3% snoozed (for the next two days), the rest resolved.
           CASE WHEN i % 100 < 3 THEN 'pending' WHEN i % 100 < 6 THEN 'snoozed'
                WHEN i % 10 < 8 THEN 'resolved' ELSE 'open' END::"SupportConversationStatus",
           CASE WHEN i % 100 BETWEEN 3 AND 5 THEN now() + (i % 48 + 1) * interval '1 hour' END,
           (ARRAY['urgent', 'high', 'medium', 'low', 'none', 'none', 'none', 'none', 'none'])[1 + i % 9]::"SupportConversationPriority",
           'Topic ' || i,
           now() - (i % 90) * interval '1 day' - (i % 1440) * interval '1 minute',
           now(), now(),
           CASE WHEN i % 20 = 0 THEN 1 + i % 4 ELSE 0 END,
           CASE WHEN i % 25 = 0 THEN 1 ELSE 0 END
    FROM generate_series(1, ${CONVERSATIONS}) i
    JOIN bench_users u ON u.n = 1 + (i * 37) % ${USERS_PER_TYPE * 3}
    JOIN bench_admins a ON a.n = i % 20`,
  );
  await step(
    `${CONVERSATIONS * MESSAGES_PER_CONVERSATION} messages`,
    `
    INSERT INTO "SupportMessage"("conversationId", "senderType", "messageType", body, read, "createdAt", seq)
    SELECT c.id, CASE WHEN k % 2 = 0 THEN 'user' ELSE 'admin' END::"SupportSenderType", 'text',
           concat_ws(' ',
             (${sqlArray(TEMPLATES.map((t) => t.replaceAll("'", "''")))})[1 + (n * 7 + k * 3) % ${TEMPLATES.length}],
             (${sqlArray(ADJECTIVES)})[1 + (n * 13 + k * 5) % ${ADJECTIVES.length}],
             (${sqlArray(DISHES)})[1 + (n * 11 + k * 7) % ${DISHES.length}],
             (${sqlArray(TOPICS)})[1 + (n * 17 + k * 19) % ${TOPICS.length}],
             CASE WHEN (n * 20 + k) % 200 = 0 THEN 'ref' || ((n * 20 + k) / 200) % 100 END),
           k < ${MESSAGES_PER_CONVERSATION} - 2,
           c."createdAt" + k * interval '3 minutes', k
    FROM (SELECT id, "createdAt", split_part(subject, ' ', 2)::int AS n FROM "SupportConversation") c,
         generate_series(1, ${MESSAGES_PER_CONVERSATION}) k`,
  );
  await step(
    `${CONVERSATIONS / NOTES_EVERY} internal notes`,
    `
    INSERT INTO "SupportNote"("conversationId", "authorAdminId", body, seq, "createdAt")
    SELECT c.id, c."adminId",
           'Checked with the restaurant: ' || (${sqlArray(TOPICS)})[1 + n % ${TOPICS.length}] ||
           CASE WHEN n % 1000 = 0 THEN ' escalated to the chargeback team' ELSE '' END,
           1, c."createdAt" + interval '1 minute'
    FROM (SELECT id, "adminId", "createdAt", split_part(subject, ' ', 2)::int AS n FROM "SupportConversation") c
    WHERE c.n % ${NOTES_EVERY} = 0`,
  );
  await step(
    'lastMessageAt from messages',
    `
    UPDATE "SupportConversation" c SET "lastMessageAt" = c."createdAt" + ${MESSAGES_PER_CONVERSATION} * interval '3 minutes',
                                       "lastSeq" = ${MESSAGES_PER_CONVERSATION}`,
  );
  await step(
    `${ORDERS} orders, ${ORDERS * 2} items`,
    `CREATE UNLOGGED TABLE bench_parties AS
       SELECT type, row_number() OVER (PARTITION BY type ORDER BY id) AS n, id FROM bench_users`,
    'CREATE INDEX ON bench_parties (type, n)',
    `
    INSERT INTO "Order"(number, "customerId", "restaurantId", "driverId", status, "totalCents", "deliveryArea",
                        "placedAt", "acceptedAt", "pickedUpAt", "deliveredAt", "etaAt")
    SELECT ${FIRST_ORDER_NUMBER} + i, c.id, r.id, d.id,
           CASE WHEN i % 10 = 0 THEN 'picked_up' ELSE 'delivered' END::"OrderStatus",
           1500 + i % 3000, 'Leeds LS' || (1 + i % 20), p.at, p.at + interval '2 minutes', p.at + interval '20 minutes',
           CASE WHEN i % 10 = 0 THEN NULL ELSE p.at + interval '35 minutes' END, p.at + interval '40 minutes'
    FROM generate_series(1, ${ORDERS}) i
    CROSS JOIN LATERAL (SELECT now() - (i % 90) * interval '1 day' - (i % 1440) * interval '1 minute' AS at) p
    JOIN bench_parties c ON c.type = 'customer' AND c.n = 1 + (i * 7) % ${USERS_PER_TYPE}
    JOIN bench_parties r ON r.type = 'restaurant' AND r.n = 1 + (i * 11) % ${USERS_PER_TYPE}
    JOIN bench_parties d ON d.type = 'driver' AND d.n = 1 + (i * 13) % ${USERS_PER_TYPE}`,
    `INSERT INTO "OrderItem"("orderId", name, quantity, "unitPriceCents")
     SELECT o.id, 'Dish ' || k, 1 + k % 2, 899 FROM "Order" o, generate_series(1, 2) k`,
    `UPDATE "SupportConversation" c SET "orderId" = o.id
     FROM "Order" o
     WHERE split_part(c.subject, ' ', 2)::int % 5 <> 0
       AND o.number = ${FIRST_ORDER_NUMBER} + 1 + (split_part(c.subject, ' ', 2)::int * 7) % ${Math.max(1, Math.floor(ORDERS / 2))}`,
    'DROP TABLE bench_parties',
  );
  await step('VACUUM ANALYZE', 'DROP TABLE bench_users', 'DROP TABLE bench_admins', 'VACUUM ANALYZE');
  console.log(`  ${'total'.padEnd(34)} ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measure(label: string, run: () => Promise<unknown>, target = TARGET_P95_MS) {
  for (let i = 0; i < 10; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  const row = { label, p50: percentile(times, 50), p95, max: times.at(-1) ?? 0 };
  console.log(
    `${label.padEnd(44)} ${row.p50.toFixed(2).padStart(7)} ${row.p95.toFixed(2).padStart(7)} ${row.max.toFixed(2).padStart(8)}  ${p95 < target ? 'ok' : 'MISSED'}`,
  );
  return row;
}

// --- End to end over HTTP, and the history-size run ---------------------------------------------
const HISTORY = Number(process.env.BENCH_HISTORY ?? 0);

/** GETs `path` RUNS times (after 10 to warm up) as the dashboard does; prints p50 / p95 / p99 / max. */
async function measureHttp(label: string, server: ServerProcess, token: string, path: string) {
  const get = async () => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'accept-encoding': 'gzip, deflate, br' },
    });
    const body = await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return { bytes: body.byteLength, encoding: response.headers.get('content-encoding') ?? 'none' };
  };
  for (let i = 0; i < 10; i++) await get();
  const times: number[] = [];
  let last = { bytes: 0, encoding: 'none' };
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await get();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(times, p)) as [number, number, number];
  console.log(
    `${label.padEnd(44)} ${p50.toFixed(2).padStart(7)} ${p95.toFixed(2).padStart(7)} ${p99.toFixed(2).padStart(7)} ${(times.at(-1) ?? 0).toFixed(2).padStart(8)}  ${p95 < TARGET_P95_MS ? 'ok' : 'MISSED'}  ${(last.bytes / 1024).toFixed(1)} KiB, encoding ${last.encoding}`,
  );
}

/** The inbox and a conversation's history over HTTP, through a real server process, as `agentUserId`. */
async function measureOverHttp(db: ReturnType<typeof createDb>, server: ServerProcess, agentUserId: string) {
  const [session] = await db.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "AuthSession"("userId", "expiresAt") VALUES ($1::uuid, now() + interval '1 day') RETURNING id`,
    agentUserId,
  );
  const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 3600 });
  const { token } = await tokens.issue(agentUserId, session?.id ?? '');
  // A conversation of typical length, and a message half way back through its history.
  const [conversation] = await db.$queryRawUnsafe<{ id: string; middle: string }[]>(
    `SELECT c.id, (SELECT m.id FROM "SupportMessage" m WHERE m."conversationId" = c.id
                   ORDER BY m.seq OFFSET (c."lastSeq" / 2) LIMIT 1) AS middle
     FROM "SupportConversation" c ORDER BY c.id OFFSET ${54_321 % CONVERSATIONS} LIMIT 1`,
  );
  const conversationPath = `/api/support/conversations/${conversation?.id}/messages`;
  console.log(
    `${'over HTTP (real server, token, JSON), ms'.padEnd(44)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(8)}`,
  );
  await measureHttp('GET /api/admin/support/conversations', server, token, '/api/admin/support/conversations?limit=30');
  await measureHttp(
    'GET ... conversations?status=open',
    server,
    token,
    '/api/admin/support/conversations?limit=30&status=open',
  );
  await measureHttp('history: newest page (30)', server, token, `${conversationPath}?limit=30`);
  await measureHttp(
    'history: half way back (before=)',
    server,
    token,
    `${conversationPath}?limit=30&before=${conversation?.middle}`,
  );
}

/** Adds messages, spread evenly over the conversations, until SupportMessage holds `total` rows. */
async function seedHistory(db: ReturnType<typeof createDb>, total: number) {
  const [{ count } = { count: 0 }] = await db.$queryRawUnsafe<{ count: number }[]>(
    'SELECT count(*)::int AS count FROM "SupportMessage"',
  );
  const perConversation = Math.ceil((total - count) / CONVERSATIONS);
  if (perConversation <= 0) return;
  console.log(`\nHistory: adding ${perConversation} messages to each conversation (${total} in all):`);
  const started = performance.now();
  // A million rows or so per statement: progress to watch, and no one giant transaction.
  const step = Math.max(1, Math.floor(1_000_000 / CONVERSATIONS));
  for (let from = 1; from <= perConversation; from += step) {
    const to = Math.min(perConversation, from + step - 1);
    await db.$executeRawUnsafe(`
      INSERT INTO "SupportMessage"("conversationId", "senderType", "messageType", body, read, "createdAt", seq)
      SELECT c.id, CASE WHEN k % 2 = 0 THEN 'user' ELSE 'admin' END::"SupportSenderType", 'text',
             'Message ' || k || ' about my order and the delivery', true,
             c."createdAt" + k * interval '3 minutes', k
      FROM "SupportConversation" c, generate_series(c."lastSeq" + 1, c."lastSeq" + ${to - from + 1}) k`);
    await db.$executeRawUnsafe(`
      UPDATE "SupportConversation" SET "lastSeq" = "lastSeq" + ${to - from + 1},
                                       "lastMessageAt" = "createdAt" + ("lastSeq" + ${to - from + 1}) * interval '3 minutes'`);
    console.log(`  ${to * CONVERSATIONS + count} messages  ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  await db.$executeRawUnsafe('VACUUM ANALYZE "SupportMessage", "SupportConversation"');
  console.log(`  ${'total'.padEnd(34)} ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

const postgres = await startScratchPostgres();
/**
 * BENCH_KEEP=1 keeps the seeded database (for EXPLAIN ANALYZE) under the name support_chat_bench,
 * or BENCH_DATABASE (several people sharing one PostgreSQL server).
 */
const keep = process.env.BENCH_KEEP === '1';
const database = keep ? (process.env.BENCH_DATABASE ?? 'support_chat_bench') : `support_chat_bench_${process.pid}`;
try {
  const url = await postgres.createDatabase(database);
  await applyMigrations({ databaseUrl: url });
  // Seeding runs statements far longer than a request's: no statement timeout here.
  const db = createDb(url, { maxConnections: 4, statementTimeoutMs: 0 });
  await seed(db);

  const logger = pino({ level: 'silent' });
  const config = loadConfig({ JWT_SECRET: 'j'.repeat(32), DOCUMENT_URL_SECRET: 'd'.repeat(32) });
  const audit = createAuditService({ db, logger });
  const settings = createSettingsService({ db, audit, logger });
  const events = createSupportEvents(logger);
  const support = createSupportService({
    db,
    audit,
    settings,
    routing: createRoutingService({ db, audit, settings, events, logger }),
    documents: createDocumentsService({
      storage: createLocalDiskStorage('/tmp/bench-storage'),
      urlSecret: 'x'.repeat(32),
      ttlSeconds: 300,
    }),
    profiles: createProfilesService({ db }),
    orders: createOrdersService({ db }),
    events,
    logger,
    limits: await createRateLimits({ backend: 'memory', settings: rateLimitSettings(config), logger }),
    maxOpenConversationsPerUser: config.limits.openConversationsPerUser,
  });
  const agent = await db.adminProfile.findFirstOrThrow({ orderBy: { id: 'asc' } });
  const admin: AdminPrincipal = {
    kind: 'admin',
    userId: agent.userId,
    adminId: agent.id,
    permissions: ['SUPPORT_CHAT'],
  };
  const list = (query: Partial<AdminConversationsQuery>) => () =>
    support.listAdminConversations(admin, { limit: 30, ...query });

  // A cursor 50 pages deep.
  let deepCursor: string | undefined;
  for (let i = 0; i < 50; i++)
    deepCursor =
      (await support.listAdminConversations(admin, { limit: 30, ...(deepCursor ? { cursor: deepCursor } : {}) }))
        .nextCursor ?? undefined;
  const fullTextCursor =
    (await support.listAdminConversations(admin, { limit: 30, search: 'allergy' })).nextCursor ?? undefined;
  const someConversation = await db.supportConversation.findFirstOrThrow({ skip: 54_321 % CONVERSATIONS });
  const someDriver = await db.driverProfile.findFirstOrThrow({ skip: 4321 % USERS_PER_TYPE });

  console.log(
    `${'listAdminConversations (30 per page), ms'.padEnd(44)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(8)}`,
  );
  await measure('first page', list({}));
  await measure('deep page (page 51, keyset cursor)', list({ cursor: deepCursor }));
  await measure('userType = restaurant', list({ userType: 'restaurant' }));
  await measure('status = open', list({ status: 'open' }));
  await measure('unread only', list({ unreadOnly: true }));
  await measure('assigned to me', list({ assigned: 'me' }));
  await measure('search: common surname "Okafor"', list({ search: 'Okafor' }));
  await measure('search: name + userType', list({ search: 'Nguyen', userType: 'customer' }));
  await measure('search: phone fragment', list({ search: someDriver.phone.slice(-7) }));
  await measure('search: e-mail', list({ search: `driver${4321 % USERS_PER_TYPE}@bench` }));
  await measure('search: conversation id', list({ search: someConversation.id }));
  await measure("order number (an order's conversations)", list({ orderNumber: FIRST_ORDER_NUMBER + 4321 }));
  await measure('order number + status = open', list({ orderNumber: FIRST_ORDER_NUMBER + 4321, status: 'open' }));
  await measure('admin unread total', () => support.unreadTotals(admin));
  await measure('status = pending', list({ status: 'pending' }));
  await measure('status = snoozed', list({ status: 'snoozed' }));
  await measure('priority = urgent', list({ priority: 'urgent' }));
  await measure('status = open, sort = priority', list({ status: 'open', sort: 'priority' }));
  // Full-text search over message and note bodies (target p95 under 50 ms): each is a search
  // from the inbox box, so it also runs the name/e-mail/phone search. The match counts are the
  // seed's (see TEMPLATES).
  await measure('full-text: a rare code (~100 messages)', list({ search: 'ref42' }), TARGET_FULL_TEXT_P95_MS);
  await measure('full-text: a topic word (~50,000 messages)', list({ search: 'allergy' }), TARGET_FULL_TEXT_P95_MS);
  await measure('full-text: two words (~2,000)', list({ search: 'allergy ramen' }), TARGET_FULL_TEXT_P95_MS);
  await measure('full-text: phrase "spicy ramen" (~4,000)', list({ search: '"spicy ramen"' }), TARGET_FULL_TEXT_P95_MS);
  await measure(
    'full-text: topic word + status = open',
    list({ search: 'allergy', status: 'open' }),
    TARGET_FULL_TEXT_P95_MS,
  );
  await measure('full-text: a word of notes (100 notes)', list({ search: 'chargeback' }), TARGET_FULL_TEXT_P95_MS);
  await measure(
    'full-text: next page (cursor)',
    list({ search: 'allergy', cursor: fullTextCursor }),
    TARGET_FULL_TEXT_P95_MS,
  );
  await measure('full-text: a sentence word (~200,000)', list({ search: 'stock' }), TARGET_FULL_TEXT_P95_MS);
  // The wake-up step every routing sweep runs (nothing due here), in a transaction rolled back.
  await measure('snooze wake-up step (every sweep)', async () => {
    const client = await poolOf(db).connect();
    try {
      await client.query('BEGIN');
      await wakeSnoozed(client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
  // The write cost of the search index: an agent's reply through the real send path (one
  // statement: message, conversation, outbox, audit), each to another conversation, with the
  // GIN index on searchVector and then without it (dropped from this scratch database).
  const conversations = await db.supportConversation.findMany({ select: { id: true }, take: 400, skip: 1000 });
  let sent = 0;
  const reply = () => {
    const conversation = conversations[sent++ % conversations.length] as { id: string };
    return support.sendMessage(admin, conversation.id, {
      body: 'Thanks, I have passed the spicy ramen refund to the restaurant and you will hear back today',
    });
  };
  await measure('send a reply (with the search index)', reply);
  await db.$executeRawUnsafe('DROP INDEX "SupportMessage_searchVector_idx"');
  await measure('send a reply (search index dropped)', reply);
  await db.$executeRawUnsafe(
    'CREATE INDEX "SupportMessage_searchVector_idx" ON "SupportMessage" USING GIN ("searchVector")',
  );

  // End to end over HTTP at the seeded size, then (BENCH_HISTORY) with the message table grown.
  const server = await startServerProcess({ DATABASE_URL: url, LOG_LEVEL: 'error' });
  try {
    console.log('');
    await measureOverHttp(db, server, agent.userId);
    if (HISTORY > 0) {
      await seedHistory(db, HISTORY);
      console.log(
        `${`listAdminConversations at ${HISTORY} messages, ms`.padEnd(44)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(8)}`,
      );
      await measure('first page', list({}));
      await measure('status = open', list({ status: 'open' }));
      await measure('admin unread total', () => support.unreadTotals(admin));
      console.log('');
      await measureOverHttp(db, server, agent.userId);
    }
  } finally {
    await server.stop();
  }
  await db.$disconnect();
} finally {
  if (!keep) await postgres.dropDatabase(database).catch(() => {});
  await postgres.stop();
}
