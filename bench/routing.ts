// npm run bench:routing
// Routing under load on two real server processes sharing one PostgreSQL: BENCH_AGENTS agents
// (default 10) with capacity BENCH_CAPACITY (10) come online one after another (staggered), one
// goes away and back, one closes its dashboard (offline after the grace period, its conversations
// re-routed) and comes back; meanwhile BENCH_CONVERSATIONS (2,000) new conversations arrive over
// both processes, and agents resolve conversations one at a time. Reports:
// - the spread (max - min open conversations among online agents), sampled every 20 ms, while a
//   conversation has waited over a second (routing had a full sweep to act; goal <= 1) and overall
//   (includes an agent who just came online while nobody waited);
// - decision latency: a creation request to its answer, which waits for the routing decision;
// - capacity to queue head: a resolve request sent to the event that assigns the queue's oldest
//   conversation, seen on a dashboard socket (goal p99 < 100 ms).
import { performance } from 'node:perf_hooks';
import { ServerEvent } from '../common/realtime.js';
import { startScratchPostgres } from '../scripts/scratch-postgres.js';
import { createDb } from '../server/db/client.js';
import { applyMigrations } from '../server/db/migrator.js';
import { hashPassword } from '../server/platform/auth/passwords.js';
import { createTokenService } from '../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../test/helpers/app.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { connectSupport, type SupportClient, sleep } from '../test/helpers/sockets.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 10);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 10);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 2000);
const CREATORS = 20;
const GRACE_SECONDS = 3;
const STAGGER_MS = 400;
const RESOLVES = Number(process.env.BENCH_RESOLVES ?? 300);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
};
const ms = (value: number) => value.toFixed(1);

const postgres = await startScratchPostgres();
const database = `bench_routing_${process.pid}`;
try {
  const url = await postgres.createDatabase(database);
  await applyMigrations({ databaseUrl: url });
  const db = createDb(url);
  const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 3600 });
  const passwordHash = await hashPassword('bench');
  const role = await db.adminRole.create({ data: { name: 'bench support', permissions: ['SUPPORT_CHAT'] } });
  const signIn = async (userId: string) => {
    const session = await db.authSession.create({
      data: { userId, expiresAt: new Date(Date.now() + 12 * 3600_000) },
    });
    return (await tokens.issue(userId, session.id)).token;
  };
  const agents: { adminId: string; token: string; socket?: SupportClient }[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const user = await db.user.create({
      data: {
        email: `bench-agent-${i}@bench.test`,
        passwordHash,
        role: 'admin',
        adminProfile: { create: { displayName: `Agent ${i}`, roleId: role.id } },
      },
      include: { adminProfile: true },
    });
    agents.push({ adminId: user.adminProfile?.id as string, token: await signIn(user.id) });
  }
  const users = await db.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "User"(email, "passwordHash", role)
     SELECT 'bench-user-' || i || '@bench.test', $1, 'customer' FROM generate_series(1, $2::int) i RETURNING id`,
    passwordHash,
    CONVERSATIONS,
  );
  const sessions = await db.$queryRawUnsafe<{ id: string; userId: string }[]>(
    `INSERT INTO "AuthSession"("userId", "expiresAt") SELECT unnest($1::uuid[]), now() + interval '12 hours'
     RETURNING id, "userId"`,
    users.map((user) => user.id),
  );
  const userTokens = await Promise.all(sessions.map(async (s) => (await tokens.issue(s.userId, s.id)).token));
  for (const [key, value] of Object.entries({
    autoAssignAdmin: true,
    maxOpenConversationsPerAgent: CAPACITY,
    agentOfflineGraceSeconds: GRACE_SECONDS,
  })) {
    await db.setting.create({ data: { key: `support.${key}`, value } });
  }

  const shared = { DATABASE_URL: url, LOG_LEVEL: 'debug', SOCKET_ADAPTER: 'postgres' };
  const nodes = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
  const nodeOf = (index: number) => nodes[index % 2] as (typeof nodes)[number];
  try {
    // The dashboard that watches assignments (agent 0's second tab).
    const watcher = await connectSupport(nodes[0]?.baseUrl as string, agents[0]?.token);
    const assignedAt = new Map<string, number>();
    const waiting = new Set<string>();
    let nextAssignment: ((at: number) => void) | undefined;
    /** Wall-clock time of the last assignment seen, to compare with the database's clock. */
    let lastAssignmentWall = 0;
    watcher.on(ServerEvent.CONVERSATION_UPDATED, ({ conversation }) => {
      if (conversation.adminId && conversation.status === 'open' && !assignedAt.has(conversation.id)) {
        assignedAt.set(conversation.id, performance.now());
        lastAssignmentWall = Date.now();
        nextAssignment?.(performance.now());
      }
    });

    // Sampling the spread from the database, as every process sees it.
    const spreads = { queued: 0, overall: 0, samples: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await db.$queryRaw<{ spread: number | null; queue: number }[]>`
          SELECT (SELECT max(n) - min(n) FROM (
                    SELECT (SELECT count(*) FROM "SupportConversation" c WHERE c."adminId" = a.id AND c.status = 'open')::int AS n
                    FROM "AdminProfile" a WHERE a.presence = 'online') loads) AS spread,
                 (SELECT count(*)::int FROM "SupportConversation" WHERE status = 'open' AND "adminId" IS NULL
                    AND "queuedAt" < now() - interval '1 second') AS queue`;
        const spread = row?.spread ?? 0;
        spreads.samples++;
        spreads.overall = Math.max(spreads.overall, spread);
        if ((row?.queue ?? 0) > 0) spreads.queued = Math.max(spreads.queued, spread);
        await sleep(20);
      }
    })();

    // Staggered presence: one agent comes online every STAGGER_MS, alternating processes.
    const presence = (async () => {
      for (const [index, agent] of agents.entries()) {
        agent.socket = await connectSupport(nodeOf(index).baseUrl, agent.token);
        await sleep(STAGGER_MS);
      }
      // One goes away and back; one closes the dashboard past the grace period and returns.
      const away = agents[3] as (typeof agents)[number];
      const put = (availability: string) =>
        fetch(`${nodeOf(3).baseUrl}/api/admin/support/me/availability`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${away.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ availability }),
        });
      await put('away');
      await sleep(1000);
      await put('online');
      const leaving = agents[7] as (typeof agents)[number];
      leaving.socket?.disconnect();
      await sleep((GRACE_SECONDS + 2) * 1000);
      leaving.socket = await connectSupport(nodeOf(7).baseUrl, leaving.token);
    })();

    // New conversations over both processes; each answer waits for its routing decision.
    const decisions: number[] = [];
    let created = 0;
    const creators = Array.from({ length: CREATORS }, async (_, worker) => {
      for (let i = worker; i < CONVERSATIONS; i += CREATORS) {
        const started = performance.now();
        const response = await fetch(`${nodeOf(i).baseUrl}/api/support/conversations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${userTokens[i]}`, 'content-type': 'application/json' },
          body: JSON.stringify({ subject: `Bench ${i}` }),
        });
        decisions.push(performance.now() - started);
        if (response.status !== 201) throw new Error(`creation answered ${response.status}`);
        const { conversation } = (await response.json()) as { conversation: { id: string; adminId: string | null } };
        if (!conversation.adminId) waiting.add(conversation.id);
        created++;
      }
    });

    // Capacity appears: one resolve at a time, timed to the next assignment seen live.
    const headLatencies: number[] = [];
    const resolveAnswers: number[] = [];
    /** Per resolve: the conversation resolved and when the dashboard saw the queue head assigned. */
    const headSeen: { victim: string; wall: number }[] = [];
    /** Queue-head latency when the resolve went to the watcher's own process, and to the other one. */
    const headByNode: [number[], number[]] = [[], []];
    const resolver = (async () => {
      await sleep(AGENTS * STAGGER_MS + 500);
      while (headLatencies.length < RESOLVES) {
        const [victim] = await db.$queryRaw<{ id: string; adminId: string }[]>`
          SELECT c.id, c."adminId" FROM "SupportConversation" c JOIN "AdminProfile" a ON a.id = c."adminId"
          WHERE c.status = 'open' AND a.presence = 'online' ORDER BY random() LIMIT 1`;
        const [queue] = await db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM "SupportConversation" WHERE status = 'open' AND "adminId" IS NULL`;
        if (!victim || (queue?.n ?? 0) === 0) {
          if (created >= CONVERSATIONS) break;
          await sleep(50);
          continue;
        }
        const agent = agents.find((a) => a.adminId === victim.adminId);
        const assigned = new Promise<number>((resolve) => {
          nextAssignment = resolve;
        });
        const started = performance.now();
        const node = headLatencies.length % 2;
        await fetch(`${nodes[node]?.baseUrl}/api/admin/support/conversations/${victim.id}/resolve`, {
          method: 'POST',
          headers: { authorization: `Bearer ${agent?.token}` },
        });
        resolveAnswers.push(performance.now() - started);
        const at = await Promise.race([assigned, sleep(3000).then(() => Number.NaN)]);
        nextAssignment = undefined;
        if (!Number.isNaN(at)) {
          headLatencies.push(at - started);
          headByNode[node]?.push(at - started);
          headSeen.push({ victim: victim.id, wall: lastAssignmentWall });
        }
        await sleep(10);
      }
    })();

    await Promise.all([...creators, presence]);
    await resolver;
    sampling = false;
    await sampler;

    const over = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (
        SELECT a.id FROM "AdminProfile" a JOIN "SupportConversation" c ON c."adminId" = a.id AND c.status = 'open'
        GROUP BY a.id HAVING count(*) > ${CAPACITY}) x`;
    // The servers' own timing of each decision round that changed something (lock wait, decision).
    const rounds = nodes.flatMap((node) =>
      node
        .output()
        .split('\n')
        .filter((line) => line.includes('"routingSweep"'))
        .map((line) => (JSON.parse(line) as { routingSweep: { waitMs: number; decideMs: number } }).routingSweep),
    );
    console.log(`\n${AGENTS} agents, capacity ${CAPACITY}, ${CONVERSATIONS} new conversations over 2 processes\n`);
    console.log('| measure | goal | measured |');
    console.log('|---|---|---|');
    console.log(
      `| max - min load among online agents while someone waits > 1 s (${spreads.samples} samples) | <= 1 | ${spreads.queued} |`,
    );
    console.log(
      `| max - min load among online agents, any moment (an agent who just came online with an empty queue counts) | - | ${spreads.overall} |`,
    );
    console.log(`| agents over capacity at the end | 0 | ${over[0]?.n ?? 0} |`);
    console.log(
      `| decision latency (creation request to answer) p50 / p99 ms | - | ${ms(percentile(decisions, 50))} / ${ms(percentile(decisions, 99))} |`,
    );
    console.log(
      `| decision round inside the lock (${rounds.length} rounds that changed something) p50 / p99 ms | - | ${ms(
        percentile(
          rounds.map((r) => r.decideMs),
          50,
        ),
      )} / ${ms(
        percentile(
          rounds.map((r) => r.decideMs),
          99,
        ),
      )} |`,
    );
    console.log(
      `| waiting for the lock (the other process deciding) p50 / p99 ms | - | ${ms(
        percentile(
          rounds.map((r) => r.waitMs),
          50,
        ),
      )} / ${ms(
        percentile(
          rounds.map((r) => r.waitMs),
          99,
        ),
      )} |`,
    );
    console.log(
      `| resolve request sent to queue head assigned, seen live (${headLatencies.length} resolves) p50 / p99 ms | - | ${ms(percentile(headLatencies, 50))} / ${ms(percentile(headLatencies, 99))} |`,
    );
    console.log(
      `| … resolve sent to the watcher's process / to the other one, p50 / p99 ms | - | ${ms(percentile(headByNode[0], 50))} / ${ms(percentile(headByNode[0], 99))} and ${ms(percentile(headByNode[1], 50))} / ${ms(percentile(headByNode[1], 99))} |`,
    );
    // Capacity appears when the resolve's transaction commits; its audit record carries the
    // transaction's start (PostgreSQL's now()), on the same machine's clock as Date.now() here.
    const resolvedAt = new Map(
      (
        await db.$queryRaw<{ targetId: string; at: Date }[]>`
          SELECT "targetId", max("createdAt") AS at FROM "AuditLog"
          WHERE action = 'SUPPORT_CONVERSATION_RESOLVED' AND "targetId" = ANY(${headSeen.map((h) => h.victim)})
          GROUP BY "targetId"`
      ).map((row) => [row.targetId, row.at.getTime()]),
    );
    const fromCommit = headSeen.flatMap((h) => {
      const at = resolvedAt.get(h.victim);
      return at === undefined ? [] : [h.wall - at];
    });
    console.log(
      `| capacity appears (the resolve's transaction) to the queue head assigned, seen live, p50 / p99 ms | p99 < 100 | ${ms(percentile(fromCommit, 50))} / ${ms(percentile(fromCommit, 99))} |`,
    );
    console.log(
      `| resolve request answered p50 / p99 ms | - | ${ms(percentile(resolveAnswers, 50))} / ${ms(percentile(resolveAnswers, 99))} |`,
    );
    watcher.disconnect();
    for (const agent of agents) agent.socket?.disconnect();
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await db.$disconnect();
  }
} finally {
  await postgres.dropDatabase(database).catch(() => {});
  await postgres.stop();
}
