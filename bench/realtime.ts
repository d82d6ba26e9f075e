// npm run bench:realtime
// The real server (server/main.ts, its own process) with USERS user sockets, ADMINS admin sockets
// and idle sockets up to SOCKETS in all, against floors measured in the same run the way an outside
// reader would:
//   (a) bare Socket.IO: the same rooms and sockets, no database, no auth (bench/floor-server.ts);
//   (b) a PostgreSQL commit: one row INSERTed in its own transaction, from this process over `pg`,
//       paced at the same rate;
//   (c) their sum (p50 + p50, p99 + p99): what storing then broadcasting a message cannot beat.
// Phases, each one line of figures with its goal beside it, and a summary table at the end:
//   1. send-to-delivery latency at RATE msg/s (a user's send -> an admin socket's receipt, one
//      clock), with its ratio to (a), (b) and (c);
//   2. the same with a busy neighbour (a CPU-bound process spinning on one core) unless
//      BENCH_BUSY_NEIGHBOUR=0;
//   3. BENCH_SWEEP=1: a rate sweep (100, 250, 500, 1000, 2000, 3000, ... msg/s) until saturation;
//   4. persisted messages per second when every user sends as fast as acks come back;
//   5. IDLE_SOCKETS idle sockets: connect rate, server RSS per socket, and delivery latency while
//      they are connected (several load-generator processes, bench/idle-clients.ts).
// Server figures come from its /metrics: CPU per stored message, event-loop delay, GC pauses.
// PostgreSQL CPU counts the backends of the bench's own database only (pg_stat_activity).
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { ClientEvent, ServerEvent } from '../common/realtime.js';
import { startScratchPostgres } from '../scripts/scratch-postgres.js';
import { createDb } from '../server/db/client.js';
import { applyMigrations } from '../server/db/migrator.js';
import { hashPassword } from '../server/platform/auth/passwords.js';
import { createTokenService } from '../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../test/helpers/app.js';
import { type ServerProcess, startServerProcess } from '../test/helpers/server-process.js';
import { cpuSeconds, postgresCpu, rssBytes } from './process-cpu.js';

const USERS = Number(process.env.BENCH_USERS ?? 500);
const ADMINS = Number(process.env.BENCH_ADMINS ?? 10);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);
const IDLE_SOCKETS = Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000);
const IDLE_RATE = Number(process.env.BENCH_IDLE_RATE ?? 200);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 5);
const BUSY_NEIGHBOUR = process.env.BENCH_BUSY_NEIGHBOUR !== '0';
const SWEEP = process.env.BENCH_SWEEP === '1';
const SWEEP_SECONDS = Number(process.env.BENCH_SWEEP_SECONDS ?? 5);
const POOL_SIZE = process.env.DATABASE_POOL_SIZE ?? '10';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
/** Sockets a load-generator process opens: 8,000, or fewer to stay under its file-descriptor limit. */
const socketsPerClientProcess = () => Math.max(100, Math.min(8000, fdLimits().soft - 500));
const root = path.resolve(import.meta.dirname, '..');

// Goals (the issue's): printed beside the figures.
const GOAL = {
  p50Ms: 5,
  p99Ms: 25,
  p50OfFloor: 2,
  p99OfFloor: 3,
  busyP99Ms: 10,
  cpuPerMessageUs: 100,
  persistedPerSecond: 2000,
  kibPerIdleSocket: 20,
  saturationP99Ms: 250,
};

type Client = Socket;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const f1 = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
const f2 = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** One row of the summary table. */
const summary: { phase: string; figures: string; goal: string; verdict: string }[] = [];
function report(phase: string, figures: string, goal = '', ok?: boolean) {
  const result = ok === undefined ? '' : verdict(ok);
  console.log(`${phase}: ${figures}${goal ? `  [goal ${goal}: ${result}]` : ''}`);
  // The table keeps the headline figures, up to the CPU and server details.
  summary.push({ phase, figures: figures.split(/; (while connecting: )?CPU /)[0] ?? figures, goal, verdict: result });
}

// --- File descriptors ---------------------------------------------------------------------------
const fdLimits = () => ({
  soft: Number(execSync('ulimit -Sn', { shell: '/bin/sh' }).toString().trim()) || 1024,
  hard: Number(execSync('ulimit -Hn', { shell: '/bin/sh' }).toString().trim()) || 1024,
});
/** Node cannot raise its own limit: run again under a shell that raised the soft limit to the hard one. */
function raiseFdLimitOrContinue() {
  const { soft, hard } = fdLimits();
  if (soft >= hard || process.env.BENCH_FD_RAISED === '1') return false;
  const child = spawn(
    '/bin/sh',
    ['-c', `ulimit -n ${hard} && exec "$@"`, 'sh', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, BENCH_FD_RAISED: '1' } },
  );
  child.on('exit', (code) => process.exit(code ?? 1));
  return true;
}

// --- The server's /metrics ------------------------------------------------------------------------
type ServerSample = {
  cpu: number;
  stored: number;
  gcCount: number;
  gcSeconds: number;
  gcMax: number;
  loop: { p50: number; p99: number; max: number };
};
async function scrape(server: ServerProcess): Promise<ServerSample> {
  const response = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  const values = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  const sum = (name: string) => {
    let total = 0;
    for (const [key, value] of values) if (key === name || key.startsWith(`${name}{`)) total += value;
    return total;
  };
  return {
    cpu: sum('process_cpu_seconds_total'),
    stored: sum('support_messages_stored_total'),
    gcCount: sum('nodejs_gc_duration_seconds_count'),
    gcSeconds: sum('nodejs_gc_duration_seconds_sum'),
    gcMax: sum('support_gc_pause_max_seconds'),
    loop: {
      p50: sum('support_event_loop_delay_seconds{stat="p50"}'),
      p99: sum('support_event_loop_delay_seconds{stat="p99"}'),
      max: sum('support_event_loop_delay_seconds{stat="max"}'),
    },
  };
}

type PhaseFigures = {
  seconds: number;
  /** % of one core. */
  serverCpu: number;
  postgresCpu: number;
  loadGeneratorCpu: number;
  /** From the server's metrics (product only). */
  stored?: number;
  cpuPerMessageUs?: number;
  loop?: ServerSample['loop'];
  gc?: { count: number; totalMs: number; maxMs: number };
};

/**
 * Runs `run` and measures it: servers' CPU (their /metrics when `metrics`, else /proc), the bench
 * database's PostgreSQL backends, this process. With several servers: CPU and GC summed, the
 * event-loop delay of the worst.
 */
async function measured<T>(
  servers: { pid: number; metrics?: ServerProcess }[],
  monitor: pg.Pool,
  run: () => Promise<T>,
): Promise<{ result: T; figures: PhaseFigures }> {
  const withMetrics = servers.flatMap((s) => (s.metrics ? [s.metrics] : []));
  const samplesBefore = await Promise.all(withMetrics.map(scrape)); // also starts the delay/GC window
  const procBefore = cpuSeconds(servers.map((s) => s.pid));
  const pgEnd = await postgresCpu(monitor).start();
  const self = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const selfCpu = process.cpuUsage(self);
  const pgSeconds = await pgEnd();
  const samplesAfter = await Promise.all(withMetrics.map(scrape));
  const percent = (cpu: number) => Math.max(0, (cpu / seconds) * 100);
  const figures: PhaseFigures = {
    seconds,
    // No server in the commit floor: no server figure rather than 0%.
    serverCpu: servers.length > 0 ? percent(cpuSeconds(servers.map((s) => s.pid)) - procBefore) : Number.NaN,
    postgresCpu: percent(pgSeconds),
    loadGeneratorCpu: percent((selfCpu.user + selfCpu.system) / 1e6),
  };
  if (withMetrics.length > 0) {
    const delta = (key: 'cpu' | 'stored' | 'gcCount' | 'gcSeconds') =>
      samplesAfter.reduce((total, after, i) => total + after[key] - (samplesBefore[i]?.[key] ?? 0), 0);
    const worst = (key: 'p50' | 'p99' | 'max') => Math.max(...samplesAfter.map((s) => s.loop[key]));
    const stored = delta('stored');
    figures.stored = stored;
    figures.cpuPerMessageUs = stored > 0 ? (delta('cpu') / stored) * 1e6 : Number.NaN;
    figures.loop = { p50: worst('p50'), p99: worst('p99'), max: worst('max') };
    figures.gc = {
      count: delta('gcCount'),
      totalMs: delta('gcSeconds') * 1000,
      maxMs: Math.max(...samplesAfter.map((s) => s.gcMax)) * 1000,
    };
  }
  return { result, figures };
}

function phaseText(figures: PhaseFigures) {
  const parts = [
    `CPU server ${Number.isFinite(figures.serverCpu) ? `${Math.round(figures.serverCpu)}%` : '-'}, PostgreSQL ${Math.round(figures.postgresCpu)}%, load generator ${Math.round(figures.loadGeneratorCpu)}%`,
  ];
  if (figures.cpuPerMessageUs !== undefined && Number.isFinite(figures.cpuPerMessageUs))
    parts.push(`server CPU ${Math.round(figures.cpuPerMessageUs)} µs/msg`);
  if (figures.loop) {
    const ms = (s: number) => f1(s * 1000);
    parts.push(`loop delay p50/p99/max ${ms(figures.loop.p50)}/${ms(figures.loop.p99)}/${ms(figures.loop.max)} ms`);
  }
  if (figures.gc)
    parts.push(`GC ${figures.gc.count} pauses, ${f1(figures.gc.totalMs)} ms total, max ${f1(figures.gc.maxMs)} ms`);
  return parts.join('; ');
}

// --- Sockets and load ---------------------------------------------------------------------------
async function connectMany(url: string, auths: object[], batch = 100): Promise<Client[]> {
  const sockets: Client[] = [];
  for (let i = 0; i < auths.length; i += batch) {
    const group = auths.slice(i, i + batch).map(
      (auth) =>
        new Promise<Client>((resolve, reject) => {
          const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
          socket.once('connect', () => resolve(socket));
          socket.once('connect_error', reject);
        }),
    );
    sockets.push(...(await Promise.all(group)));
  }
  return sockets;
}

type LatencyResult = { sent: number; received: number; p50: number; p99: number };

/** Each of `senders` sends at an equal share of `rate` for `seconds`; returns send->receipt latencies. */
async function latencyRun(
  senders: { socket: Client; conversationId: string }[],
  receiver: Client,
  rate: number,
  seconds: number,
): Promise<LatencyResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  receiver.on(ServerEvent.MESSAGE_CREATED, (event: { message: { clientMessageId: string | null } }) => {
    const started = sentAt.get(event.message.clientMessageId ?? '');
    if (started !== undefined) latencies.push(performance.now() - started);
  });
  const interval = (senders.length / rate) * 1000;
  const timers = senders.map(({ socket, conversationId }, i) =>
    setTimeout(
      () => {
        const send = () => {
          const clientMessageId = randomUUID();
          sentAt.set(clientMessageId, performance.now());
          socket.emit(
            ClientEvent.MESSAGE_SEND,
            { conversationId, body: 'Where is my order?', clientMessageId },
            () => {},
          );
        };
        send();
        timers[i] = setInterval(send, interval);
      },
      (i * interval) / senders.length,
    ),
  );
  await sleep(seconds * 1000);
  for (const timer of timers) clearInterval(timer);
  // A second's grace: what is not delivered by then counts as not delivered (saturation).
  await sleep(1000);
  receiver.off(ServerEvent.MESSAGE_CREATED);
  latencies.sort((a, b) => a - b);
  return {
    sent: sentAt.size,
    received: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** The commit floor: one-row INSERTs, each its own transaction, issued at `rate` for `seconds`. */
async function commitRun(pool: pg.Pool, rate: number, seconds: number): Promise<LatencyResult> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let sent = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      const at = performance.now();
      pending.push(
        pool.query('INSERT INTO bench_commit_floor (body) VALUES ($1)', ['Where is my order?']).then(() => {
          latencies.push(performance.now() - at);
        }),
      );
    }
    await sleep(1);
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { sent, received: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const latencyFigures = (r: LatencyResult) =>
  `p50 ${f2(r.p50)} ms, p99 ${f2(r.p99)} ms (${r.received}/${r.sent} delivered)`;

/** A CPU-bound neighbour on one core; it stops by itself after `seconds` should the bench die. */
function busyNeighbour(seconds: number): ChildProcess {
  return spawn(process.execPath, ['-e', `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`], {
    stdio: 'ignore',
  });
}

type IdleClientProcess = {
  child: ChildProcess;
  /** Sends the process its sockets; resolves once it has tried them all. */
  open(): Promise<{ connected: number; failed: number; firstError?: string }>;
};
/**
 * Starts load-generator processes for `targets`, socketsPerClientProcess() each, and resolves once
 * they are ready (their start-up is no part of the connect rate).
 */
async function idleClientProcesses(targets: { url: string; token: string }[]): Promise<IdleClientProcess[]> {
  const share = socketsPerClientProcess();
  const processes: Promise<IdleClientProcess>[] = [];
  for (let i = 0; i * share < targets.length; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/idle-clients.ts'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`idle client process exited with ${code}`))),
    );
    exited.catch(() => {});
    const next = () => Promise.race([new Promise<unknown>((resolve) => child.once('message', resolve)), exited]);
    processes.push(
      next().then(() => ({
        child,
        open() {
          const done = next();
          child.send({
            targets: targets.slice(i * share, (i + 1) * share),
            // Each process from a loopback address of its own: more than one address's ~28,000
            // ephemeral ports to one server port.
            localAddress: `127.0.0.${2 + (i % 250)}`,
            batch: 100,
          });
          return done as Promise<{ connected: number; failed: number; firstError?: string }>;
        },
      })),
    );
  }
  return Promise.all(processes);
}

async function main() {
  const postgres = await startScratchPostgres();
  const database = `support_chat_bench_rt_${process.pid}`;
  const children: (ChildProcess | { stop(): Promise<void> })[] = [];
  const pools: pg.Pool[] = [];
  try {
    const url = await postgres.createDatabase(database);
    await applyMigrations({ databaseUrl: url });
    if (process.env.BENCH_SYNCHRONOUS_COMMIT === 'off') {
      // To see what waiting for the WAL flush on each commit costs (not a recommendation).
      await postgres.run(`ALTER DATABASE "${database}" SET synchronous_commit = off`);
    }
    const monitor = new pg.Pool({ connectionString: url, max: 1 });
    pools.push(monitor);
    const db = createDb(url, { statementTimeoutMs: 0 });
    const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 3600 });
    const passwordHash = await hashPassword('bench');
    /** A token of a new session, as a sign-in would give. */
    const tokenOf = async (userId: string) => {
      const session = await db.authSession.create({
        data: { userId, expiresAt: new Date(Date.now() + 12 * 3600_000) },
      });
      return (await tokens.issue(userId, session.id)).token;
    };
    const idleUsers = Math.max(0, SOCKETS - USERS - ADMINS);
    // One idle account per idle socket: an account may hold only SOCKETS_PER_ACCOUNT sockets.
    const idleAccounts = Math.max(idleUsers, IDLE_SOCKETS);
    console.log(`Seeding ${USERS} users with a conversation, ${ADMINS} admins, ${idleAccounts} idle users...`);
    const role = await db.adminRole.create({ data: { name: 'Bench', permissions: ['SUPPORT_CHAT'] } });
    const adminTokens: string[] = [];
    for (let i = 0; i < ADMINS; i++) {
      const user = await db.user.create({
        data: {
          email: `agent${i}@bench.test`,
          passwordHash,
          role: 'admin',
          adminProfile: { create: { displayName: `Agent ${i}`, roleId: role.id } },
        },
      });
      adminTokens.push(await tokenOf(user.id));
    }
    /** Customers with a profile and a session each, in three statements. */
    const makeUsers = async (count: number, prefix: string) => {
      await db.$executeRawUnsafe(
        `INSERT INTO "User"(email, "passwordHash", role)
         SELECT '${prefix}' || i || '@bench.test', $1, 'customer' FROM generate_series(0, ${count - 1}) i`,
        passwordHash,
      );
      await db.$executeRawUnsafe(
        `INSERT INTO "CustomerProfile"("userId", "fullName", phone, city)
         SELECT id, 'Bench Customer', '+44 7700 ' || (100000 + substring(email from '[0-9]+')::int), 'Leeds'
         FROM "User" WHERE email LIKE '${prefix}%'`,
      );
      const sessions = await db.$queryRawUnsafe<{ id: string; userId: string }[]>(
        `INSERT INTO "AuthSession"("userId", "expiresAt")
         SELECT id, now() + interval '12 hours' FROM "User" WHERE email LIKE '${prefix}%'
         RETURNING id, "userId"`,
      );
      return Promise.all(
        sessions.map(async (s) => ({ id: s.userId, token: (await tokens.issue(s.userId, s.id)).token })),
      );
    };
    const senders = await makeUsers(USERS, 'sender');
    await db.supportConversation.createMany({
      data: senders.map((u) => ({ userId: u.id, userType: 'customer' as const })),
    });
    const conversations = await db.supportConversation.findMany({ select: { id: true, userId: true } });
    const conversationOf = new Map(conversations.map((c) => [c.userId, c.id]));
    const idle = await makeUsers(Math.max(idleAccounts, 1), 'idle');
    await db.$executeRawUnsafe('CREATE TABLE bench_commit_floor (id bigserial PRIMARY KEY, body text NOT NULL)');
    console.log(
      `Machine: ${fdLimits().soft} file descriptors per process; PostgreSQL CPU counts database ${database}'s backends only.\n`,
    );

    // --- Floor (a): bare Socket.IO, same topology --------------------------------------------
    const floor = spawn(process.execPath, ['--import', 'tsx', 'bench/floor-server.ts'], { cwd: root, stdio: 'pipe' });
    children.push(floor);
    const floorPort = await new Promise<number>((resolve) =>
      floor.stdout?.on('data', (chunk: Buffer) => {
        const match = chunk.toString().match(/listening on (\d+)/);
        if (match) resolve(Number(match[1]));
      }),
    );
    const floorUrl = `http://127.0.0.1:${floorPort}/support`;
    const floorAdmins = await connectMany(
      floorUrl,
      Array.from({ length: ADMINS }, () => ({ role: 'admin' })),
    );
    const floorUsers = await connectMany(
      floorUrl,
      Array.from({ length: USERS }, () => ({ role: 'user' })),
    );
    const floorIdle = await connectMany(
      floorUrl,
      Array.from({ length: idleUsers }, () => ({ role: 'user' })),
    );
    const floorSenders = floorUsers.map((socket, i) => ({ socket, conversationId: conversations[i]?.id ?? '' }));
    await latencyRun(floorSenders.slice(0, 50), floorAdmins[0] as Client, 100, 1); // warm-up
    const broadcast = await measured([{ pid: floor.pid ?? 0 }], monitor, () =>
      latencyRun(floorSenders, floorAdmins[0] as Client, RATE, SECONDS),
    );
    report(
      `(a) floor: bare Socket.IO broadcast, ${RATE} msg/s, ${floorAdmins.length + floorUsers.length + floorIdle.length} sockets`,
      `${latencyFigures(broadcast.result)}; ${phaseText(broadcast.figures)}`,
    );
    for (const socket of [...floorAdmins, ...floorUsers, ...floorIdle]) socket.disconnect();
    floor.kill('SIGINT');

    // --- Floor (b): a single-row PostgreSQL commit -------------------------------------------
    const commitPool = new pg.Pool({ connectionString: url, max: Number(POOL_SIZE) });
    pools.push(commitPool);
    await commitRun(commitPool, 100, 1); // warm-up: connections open
    const commit = await measured([], monitor, () => commitRun(commitPool, RATE, SECONDS));
    report(
      `(b) floor: PostgreSQL one-row INSERT commit, ${RATE}/s over ${POOL_SIZE} connections`,
      `${latencyFigures(commit.result)}; ${phaseText(commit.figures)}`,
    );
    await commitPool.end();
    pools.splice(pools.indexOf(commitPool), 1);
    const sum = { p50: broadcast.result.p50 + commit.result.p50, p99: broadcast.result.p99 + commit.result.p99 };
    report('(c) floor: broadcast + commit', `p50 ${f2(sum.p50)} ms, p99 ${f2(sum.p99)} ms`);

    // --- The product ---------------------------------------------------------------------------
    const server = await startServerProcess(
      {
        DATABASE_URL: url,
        LOG_LEVEL: 'error',
        DATABASE_POOL_SIZE: POOL_SIZE,
        METRICS_TOKEN,
        // The throughput phase sends as fast as acks come back: lift the per-socket send limit.
        MESSAGE_RATE_LIMIT: '100000',
      },
      {
        nodeArgs: [
          // BENCH_PROFILE_DIR=<dir>: the server writes a CPU profile there when it stops.
          ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
          // BENCH_TRACE_GC=1: garbage collection pauses go to the server's output (BENCH_SERVER_LOG).
          ...(process.env.BENCH_TRACE_GC === '1' ? ['--trace-gc'] : []),
        ],
      },
    );
    children.push(server);
    const product = [{ pid: server.pid, metrics: server }];
    const supportUrl = `${server.baseUrl}/support`;
    const admins = await connectMany(
      supportUrl,
      adminTokens.map((token) => ({ token })),
    );
    const users = await connectMany(
      supportUrl,
      senders.map((u) => ({ token: u.token })),
    );
    const idleSockets = await connectMany(
      supportUrl,
      idle.slice(0, idleUsers).map((u) => ({ token: u.token })),
    );
    const productSenders = users.map((socket, i) => ({
      socket,
      conversationId: conversationOf.get(senders[i]?.id ?? '') ?? '',
    }));
    const receiver = admins[0] as Client;
    await latencyRun(productSenders.slice(0, 50), receiver, 100, 2); // warm-up
    const transactions = async () =>
      Number(
        (
          await db.$queryRaw<
            { n: bigint }[]
          >`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`
        )[0]?.n ?? 0,
      );
    const transactionsBefore = await transactions();
    const run = await measured(product, monitor, () => latencyRun(productSenders, receiver, RATE, SECONDS));
    const transactionsPerMessage = ((await transactions()) - transactionsBefore) / run.result.sent;
    const times = (ours: number, floorValue: number) => `×${f1(ours / floorValue)}`;
    report(
      `Support Chat: latency, ${RATE} msg/s, ${admins.length + users.length + idleSockets.length} sockets`,
      `${latencyFigures(run.result)}; ${phaseText(run.figures)}; ${f2(transactionsPerMessage)} database transactions per message`,
      `p50 ≤ ${GOAL.p50Ms} ms, p99 ≤ ${GOAL.p99Ms} ms`,
      run.result.p50 <= GOAL.p50Ms && run.result.p99 <= GOAL.p99Ms && run.result.received === run.result.sent,
    );
    report(
      'Support Chat ÷ floors',
      `p50 ${times(run.result.p50, broadcast.result.p50)} broadcast, ${times(run.result.p50, commit.result.p50)} commit, ${times(run.result.p50, sum.p50)} sum | ` +
        `p99 ${times(run.result.p99, broadcast.result.p99)} broadcast, ${times(run.result.p99, commit.result.p99)} commit, ${times(run.result.p99, sum.p99)} sum`,
      `p50 ≤ ${GOAL.p50OfFloor}× and p99 ≤ ${GOAL.p99OfFloor}× (broadcast + commit)`,
      run.result.p50 <= GOAL.p50OfFloor * sum.p50 && run.result.p99 <= GOAL.p99OfFloor * sum.p99,
    );

    // --- A busy neighbour: one core spinning for the whole phase ------------------------------
    if (BUSY_NEIGHBOUR) {
      const neighbour = busyNeighbour(SECONDS + 30);
      children.push(neighbour);
      const busy = await measured(product, monitor, () => latencyRun(productSenders, receiver, RATE, SECONDS));
      neighbour.kill('SIGKILL');
      report(
        `Support Chat: latency with a busy neighbour (one core spinning), ${RATE} msg/s`,
        `${latencyFigures(busy.result)}; ${phaseText(busy.figures)}`,
        `p99 ≤ ${GOAL.busyP99Ms} ms at 500 msg/s`,
        busy.result.p99 <= GOAL.busyP99Ms && busy.result.received === busy.result.sent,
      );
    }

    // --- Rate sweep until saturation ------------------------------------------------------------
    if (SWEEP) {
      console.log(`\nRate sweep, ${SWEEP_SECONDS} s per rate, ${productSenders.length} senders:`);
      let crossed: number | undefined;
      let lastUnder: number | undefined;
      let saturatedAt: number | undefined;
      for (let i = 0; saturatedAt === undefined; i++) {
        const rate = [100, 250, 500, 1000][i] ?? (i - 2) * 1000;
        const step = await measured(product, monitor, () => latencyRun(productSenders, receiver, rate, SWEEP_SECONDS));
        const { result, figures } = step;
        const cpuGoal = rate === 2000 ? ` [goal ≤ ${GOAL.cpuPerMessageUs} µs/msg at 2,000 msg/s]` : '';
        console.log(`  ${String(rate).padStart(6)} msg/s: ${latencyFigures(result)}; ${phaseText(figures)}${cpuGoal}`);
        if (result.p99 > GOAL.p99Ms) crossed ??= rate;
        else if (crossed === undefined) lastUnder = rate;
        if (rate === 2000 && figures.cpuPerMessageUs !== undefined)
          report(
            'Sweep: server CPU per message at 2,000 msg/s',
            `${Math.round(figures.cpuPerMessageUs)} µs/msg`,
            `≤ ${GOAL.cpuPerMessageUs} µs`,
            figures.cpuPerMessageUs <= GOAL.cpuPerMessageUs,
          );
        if (result.received < result.sent || result.p99 > GOAL.saturationP99Ms) saturatedAt = rate;
      }
      report(
        'Sweep: where p99 crosses 25 ms',
        crossed === undefined
          ? `not below saturation, saturated at ${saturatedAt} msg/s`
          : `${lastUnder === undefined ? `already at the first rate, ${crossed}` : `between ${lastUnder} and ${crossed}`} msg/s, saturated (delivered < sent or p99 > ${GOAL.saturationP99Ms} ms) at ${saturatedAt} msg/s`,
      );
    }

    // --- Throughput: every user sends as fast as its acks come back ------------------------------
    const before = await db.supportMessage.count();
    let acked = 0;
    let stop = false;
    const throughput = await measured(product, monitor, async () => {
      const started = performance.now();
      await Promise.all([
        ...productSenders.map(async ({ socket, conversationId }) => {
          while (!stop) {
            const ack = await socket
              .timeout(10_000)
              .emitWithAck(ClientEvent.MESSAGE_SEND, {
                conversationId,
                body: 'Throughput test',
                clientMessageId: randomUUID(),
              })
              .catch(() => ({ ok: false }));
            if ((ack as { ok: boolean }).ok) acked++;
          }
        }),
        (async () => {
          await sleep(THROUGHPUT_SECONDS * 1000);
          stop = true;
        })(),
      ]);
      return { seconds: (performance.now() - started) / 1000 };
    });
    const persisted = (await db.supportMessage.count()) - before;
    const perSecond = persisted / throughput.result.seconds;
    if (process.env.BENCH_SERVER_LOG) fs.writeFileSync(process.env.BENCH_SERVER_LOG, server.output());
    report(
      'Support Chat: throughput (send as fast as acks come back)',
      `${Math.round(acked / throughput.result.seconds)} acked msg/s, ${persisted} persisted in ${f1(throughput.result.seconds)} s = ${Math.round(perSecond)} msg/s; ${phaseText(throughput.figures)}`,
      `≥ ${GOAL.persistedPerSecond} persisted msg/s`,
      perSecond >= GOAL.persistedPerSecond,
    );
    for (const socket of [...admins, ...users, ...idleSockets]) socket.disconnect();
    await server.stop();

    // --- Idle sockets: connect rate, memory per socket, latency while they are connected ---------
    // One server process holds at most `ulimit -n` sockets; beyond that, several processes with the
    // Redis adapter, as a deployment would run them.
    const perServer = Math.max(500, fdLimits().soft - 1000);
    const nodeCount = Math.max(1, Math.ceil((IDLE_SOCKETS + USERS + ADMINS) / perServer));
    if (nodeCount > 1)
      console.log(
        `\n${IDLE_SOCKETS} idle sockets do not fit one server process (ulimit -n is ${fdLimits().soft}; raise it with ` +
          `\`ulimit -n ${IDLE_SOCKETS + 5000}\` as a user allowed to): spreading them over ${nodeCount} server processes ` +
          `with SOCKET_ADAPTER=redis (${REDIS_URL}).`,
      );
    const nodes: ServerProcess[] = [];
    for (let i = 0; i < nodeCount; i++) {
      const node = await startServerProcess({
        DATABASE_URL: url,
        LOG_LEVEL: 'error',
        METRICS_TOKEN,
        ...(nodeCount > 1 ? { SOCKET_ADAPTER: 'redis', REDIS_URL } : {}),
      });
      children.push(node);
      nodes.push(node);
    }
    const first = nodes[0] as ServerProcess;
    const firstUrl = `${first.baseUrl}/support`;
    const idleAdmins = await connectMany(
      firstUrl,
      adminTokens.slice(0, 1).map((token) => ({ token })),
    );
    const idleSenders = productSenders.slice(0, Math.min(50, productSenders.length));
    const idleSenderSockets = await connectMany(
      firstUrl,
      senders.slice(0, idleSenders.length).map((u) => ({ token: u.token })),
    );
    // Warm every process up (code paths, pools, heap) before the baseline.
    for (const node of nodes) {
      const warm = await connectMany(
        `${node.baseUrl}/support`,
        idle.slice(0, 50).map((u) => ({ token: u.token })),
      );
      for (const socket of warm) socket.disconnect();
    }
    await sleep(1000);
    const baseline = nodes.reduce((total, node) => total + rssBytes(node.pid), 0);
    const targets = idle
      .slice(0, IDLE_SOCKETS)
      .map((u, i) => ({ url: `${(nodes[i % nodeCount] as ServerProcess).baseUrl}/support`, token: u.token }));
    const nodeProcs = nodes.map((node) => ({ pid: node.pid, metrics: node }));
    const clientProcesses = await idleClientProcesses(targets);
    for (const p of clientProcesses) children.push(p.child);
    const connecting = await measured(nodeProcs, monitor, () => Promise.all(clientProcesses.map((p) => p.open())));
    const connected = connecting.result.reduce((total, r) => total + r.connected, 0);
    const failed = connecting.result.reduce((total, r) => total + r.failed, 0);
    const firstError = connecting.result.find((r) => r.firstError)?.firstError;
    await sleep(3000);
    const loaded = nodes.reduce((total, node) => total + rssBytes(node.pid), 0);
    const kib = (loaded - baseline) / Math.max(1, connected) / 1024;
    report(
      `Idle sockets: ${IDLE_SOCKETS} on ${nodeCount} server process${nodeCount > 1 ? 'es' : ''}, ${clientProcesses.length} client processes`,
      `${connected} connected${failed ? `, ${failed} refused (first: ${firstError})` : ''} in ${f1(connecting.figures.seconds)} s = ${Math.round(connected / connecting.figures.seconds)} sockets/s, ` +
        `server RSS ${Math.round(baseline / 2 ** 20)} MiB -> ${Math.round(loaded / 2 ** 20)} MiB = ${f1(kib)} KiB per socket; ` +
        `while connecting: ${phaseText(connecting.figures)}`,
      `≤ ${GOAL.kibPerIdleSocket} KiB per socket, all connected`,
      kib <= GOAL.kibPerIdleSocket && failed === 0,
    );
    const senderPairs = idleSenderSockets.map((socket, i) => ({
      socket,
      conversationId: idleSenders[i]?.conversationId ?? '',
    }));
    const idleLatency = await measured(nodeProcs, monitor, () =>
      latencyRun(senderPairs, idleAdmins[0] as Client, IDLE_RATE, IDLE_SECONDS),
    );
    report(
      `Idle sockets: latency with ${connected} idle sockets connected, ${IDLE_RATE} msg/s`,
      `${latencyFigures(idleLatency.result)}; ${phaseText(idleLatency.figures)}`,
      `p50 ≤ ${GOAL.p50Ms} ms, p99 ≤ ${GOAL.p99Ms} ms`,
      idleLatency.result.p50 <= GOAL.p50Ms &&
        idleLatency.result.p99 <= GOAL.p99Ms &&
        idleLatency.result.received === idleLatency.result.sent,
    );
    for (const p of clientProcesses) p.child.send('close');
    for (const socket of [...idleAdmins, ...idleSenderSockets]) socket.disconnect();
    await db.$disconnect();

    console.log('\nSummary');
    const width = Math.max(...summary.map((row) => row.phase.length));
    for (const row of summary)
      console.log(
        `  ${row.phase.padEnd(width)}  ${row.verdict.padEnd(6)}  ${row.figures.split('; ')[0]}${row.goal ? `  (goal ${row.goal})` : ''}`,
      );
  } finally {
    for (const child of children) {
      if ('stop' in child) await child.stop().catch(() => {});
      else if (child.exitCode === null) child.kill('SIGKILL');
    }
    for (const pool of pools) await pool.end().catch(() => {});
    await postgres.dropDatabase(database).catch(() => {});
    await postgres.stop();
  }
}

if (!raiseFdLimitOrContinue())
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
