// npm run bench:burst
// A burst of new conversations against the real server (server/main.ts, its own process, the
// default pool of DATABASE_POOL_SIZE connections): BENCH_BURST users (default 200) each open one
// conversation with a first message at the same moment, BENCH_ROUNDS times (default 3) with
// auto-assignment on and as many with it off. Reports the creation latency (request to 201) p50,
// p99 and max, the burst's duration, any answer that was not 201, and how the assigned
// conversations spread over the support admins. Each request comes from a different user.
// CPU per creation: the server process's, its database's PostgreSQL backends' and the load
// generator's (this process, which makes the 200 HTTP connections), over the rounds of a mode.
// Each mode's rounds follow one untimed burst in that mode: the first burst after the server starts
// runs on code not yet optimised by V8 (it measured about twice the p99 and the CPU of a warm one,
// whichever mode came first), and its figures are printed on a line of their own.
// BENCH_PROFILE_DIR=<dir> writes the server's CPU profile into <dir> (open it in Chrome's DevTools).
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startScratchPostgres } from '../scripts/scratch-postgres.js';
import { createDb } from '../server/db/client.js';
import { applyMigrations } from '../server/db/migrator.js';
import { hashPassword } from '../server/platform/auth/passwords.js';
import { createTokenService } from '../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../test/helpers/app.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { connectSupport, sleep } from '../test/helpers/sockets.js';
import { cpuSeconds, postgresCpu } from './process-cpu.js';

const BURST = Number(process.env.BENCH_BURST ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMINS = Number(process.env.BENCH_ADMINS ?? 5);
/** Conversations opened one after another first (the server's first requests). */
const WARM_UP = 50;
/** Bursts per mode: one untimed, then the measured rounds. */
const BURSTS_PER_MODE = ROUNDS + 1;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

const postgres = await startScratchPostgres();
const database = `bench_burst_${process.pid}`;
try {
  const url = await postgres.createDatabase(database);
  await applyMigrations({ databaseUrl: url });
  const db = createDb(url);
  const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 3600 });
  const passwordHash = await hashPassword('bench');

  const role = await db.adminRole.create({ data: { name: 'bench support', permissions: ['SUPPORT_CHAT'] } });
  const adminTokens: string[] = [];
  for (let i = 0; i < ADMINS; i++) {
    const admin = await db.user.create({
      data: {
        email: `bench-admin-${i}@bench.test`,
        passwordHash,
        role: 'admin',
        adminProfile: { create: { displayName: `Agent ${i}`, roleId: role.id } },
      },
    });
    const session = await db.authSession.create({
      data: { userId: admin.id, expiresAt: new Date(Date.now() + 12 * 3600_000) },
    });
    adminTokens.push((await tokens.issue(admin.id, session.id)).token);
  }
  // Routing gives conversations to online agents with room: room for a whole round each.
  await db.setting.create({ data: { key: 'support.maxOpenConversationsPerAgent', value: 100 } });
  // One fresh user per request, so that no per-account limit is involved.
  const users = await db.$queryRawUnsafe<{ id: string }[]>(
    `WITH u AS (
       INSERT INTO "User"(email, "passwordHash", role)
       SELECT 'bench-user-' || i || '@bench.test', $1, 'customer' FROM generate_series(1, $2::int) i
       RETURNING id
     ), p AS (
       INSERT INTO "CustomerProfile"("userId", "fullName", phone, city)
       SELECT id, 'Bench Customer', '+44 7700 900000', 'Leeds' FROM u
     )
     SELECT id FROM u`,
    passwordHash,
    BURST * BURSTS_PER_MODE * 2 + WARM_UP,
  );
  // A live session per user, as a sign-in would start one.
  const sessions = await db.$queryRawUnsafe<{ id: string; userId: string }[]>(
    `INSERT INTO "AuthSession"("userId", "expiresAt")
     SELECT unnest($1::uuid[]), now() + interval '12 hours'
     RETURNING id, "userId"`,
    users.map((user) => user.id),
  );
  const userTokens = await Promise.all(
    sessions.map(async (session) => (await tokens.issue(session.userId, session.id)).token),
  );

  // BENCH_PROFILE_DIR=<dir>: the server writes a CPU profile there when it stops.
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const server = await startServerProcess(
    { DATABASE_URL: url, LOG_LEVEL: 'error' },
    { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] },
  );
  const monitor = new pg.Pool({ connectionString: url, max: 1 });
  /** Every token's user opens a conversation with a first message, all at once. */
  const burst = (tokensOfBurst: string[], latencies: number[], failures: Map<number, number>) =>
    Promise.all(
      tokensOfBurst.map(async (token, index) => {
        const t0 = performance.now();
        const response = await fetch(`${server.baseUrl}/api/support/conversations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ subject: `Burst ${index}`, message: { body: 'Where is my order?' } }),
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status !== 201) failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
      }),
    );
  let firstBurst = '';
  try {
    // Every admin has the dashboard open (routing counts them online).
    const sockets = await Promise.all(adminTokens.map((token) => connectSupport(server.baseUrl, token)));
    await sleep(1500);
    console.log(`\n${BURST} conversations opened at once, ${ROUNDS} rounds each, ${ADMINS} support admins\n`);
    for (const token of userTokens.slice(0, WARM_UP)) {
      await fetch(`${server.baseUrl}/api/support/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: { body: 'warm-up' } }),
      });
    }
    await db.supportConversation.updateMany({ data: { status: 'resolved' } });
    console.log(
      'auto-assign | p50 ms | p99 ms | max ms | burst s | not 201 | CPU ms per creation: server / PostgreSQL / load generator | per admin (assigned)',
    );
    let next = WARM_UP;
    let cold = true;
    for (const autoAssign of [true, false]) {
      await db.setting.upsert({
        where: { key: 'support.autoAssignAdmin' },
        create: { key: 'support.autoAssignAdmin', value: autoAssign },
        update: { value: autoAssign },
      });
      // The untimed burst of this mode.
      await db.supportConversation.updateMany({ where: { status: 'open' }, data: { status: 'resolved' } });
      const untimed: number[] = [];
      await burst(userTokens.slice(next, next + BURST), untimed, new Map());
      next += BURST;
      if (cold) {
        untimed.sort((a, b) => a - b);
        firstBurst = `first burst after the server started (auto-assign ${autoAssign ? 'on' : 'off'}, not in the table): p50 ${percentile(untimed, 50).toFixed(0)} ms, p99 ${percentile(untimed, 99).toFixed(0)} ms`;
        cold = false;
      }
      const latencies: number[] = [];
      const failures = new Map<number, number>();
      let burstSeconds = 0;
      const before = new Date();
      let serverCpu = 0;
      let loadGeneratorCpu = 0;
      let databaseCpu = 0;
      for (let round = 0; round < ROUNDS; round++) {
        await db.supportConversation.updateMany({ where: { status: 'open' }, data: { status: 'resolved' } });
        const serverCpuBefore = cpuSeconds([server.pid]);
        const loadGeneratorBefore = process.cpuUsage();
        const databaseCpuSince = await postgresCpu(monitor).start();
        const started = performance.now();
        await burst(userTokens.slice(next, next + BURST), latencies, failures);
        burstSeconds += (performance.now() - started) / 1000;
        serverCpu += cpuSeconds([server.pid]) - serverCpuBefore;
        const loadGenerator = process.cpuUsage(loadGeneratorBefore);
        loadGeneratorCpu += (loadGenerator.user + loadGenerator.system) / 1e6;
        databaseCpu += await databaseCpuSince();
        next += BURST;
      }
      latencies.sort((a, b) => a - b);
      const spread = await db.supportConversation.groupBy({
        by: ['adminId'],
        where: { createdAt: { gte: before }, adminId: { not: null } },
        _count: true,
      });
      const failed = [...failures].map(([status, count]) => `${count} x ${status}`).join(', ') || 'none';
      console.log(
        [
          (autoAssign ? 'on' : 'off').padEnd(11),
          percentile(latencies, 50).toFixed(0).padStart(6),
          percentile(latencies, 99).toFixed(0).padStart(6),
          (latencies[latencies.length - 1] ?? 0).toFixed(0).padStart(6),
          (burstSeconds / ROUNDS).toFixed(2).padStart(7),
          failed.padStart(7),
          [serverCpu, databaseCpu, loadGeneratorCpu]
            .map((seconds) => ((seconds * 1000) / (BURST * ROUNDS)).toFixed(2))
            .join(' / ')
            .padStart(57),
          spread
            .map((row) => row._count)
            .sort((a, b) => a - b)
            .join(' / ') || '-',
        ].join(' | '),
      );
    }
    console.log(`\n${firstBurst}`);
    for (const socket of sockets) socket.disconnect();
  } finally {
    await server.stop();
    await monitor.end();
    await db.$disconnect();
  }
} finally {
  await postgres.dropDatabase(database).catch(() => {});
  await postgres.stop();
}
