// npm run bench:realtime
// The real server (server/main.ts, its own process) with USERS user sockets, ADMINS admin sockets
// and idle sockets up to SOCKETS in all. Measures, on this one machine:
//   1. send-to-delivery latency at RATE messages/s (user's send -> an admin socket's receipt, same
//      clock), against the floor: a bare Socket.IO server with the same rooms, no database, no auth;
//   2. persisted messages per second when every user sends as fast as acks come back;
//   3. server memory per idle socket, with IDLE_SOCKETS idle sockets;
// and the CPU used by the server, PostgreSQL and this load generator in each phase.
// Targets: p50 < 5 ms and p99 < 25 ms at 500 msg/s with 2,000 sockets; 2,000 persisted msg/s;
// 10,000 idle sockets in under 1 GiB.
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { ClientEvent, ServerEvent } from '../common/realtime.js';
import { startScratchPostgres } from '../scripts/scratch-postgres.js';
import { createDb } from '../server/db/client.js';
import { applyMigrations } from '../server/db/migrator.js';
import { hashPassword } from '../server/platform/auth/passwords.js';
import { createTokenService } from '../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../test/helpers/app.js';
import { startServerProcess } from '../test/helpers/server-process.js';

const USERS = Number(process.env.BENCH_USERS ?? 500);
const ADMINS = Number(process.env.BENCH_ADMINS ?? 10);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);
const IDLE_SOCKETS = Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000);
const root = path.resolve(import.meta.dirname, '..');

type Client = Socket;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) of processes, read from /proc. */
function cpuSeconds(pids: number[]): number {
  const ticks = Number(execSync('getconf CLK_TCK').toString().trim());
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // The process ended.
    }
  }
  return total;
}

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0) * 1024;
}

function postgresPids(): number[] {
  return execSync('pgrep -x postgres || true').toString().split('\n').filter(Boolean).map(Number);
}

/** Measures the CPU of the server, PostgreSQL and this process over `run`, as % of one core. */
async function withCpu<T>(serverPid: number, run: () => Promise<T>) {
  const pg = postgresPids();
  const before = {
    server: cpuSeconds([serverPid]),
    pg: cpuSeconds(pg),
    self: process.cpuUsage(),
    at: performance.now(),
  };
  const result = await run();
  const seconds = (performance.now() - before.at) / 1000;
  const self = process.cpuUsage(before.self);
  const percent = (cpu: number) => `${Math.max(0, Math.round((cpu / seconds) * 100))}%`;
  return {
    result,
    cpu: {
      server: percent(cpuSeconds([serverPid]) - before.server),
      postgres: percent(cpuSeconds(pg) - before.pg),
      loadGenerator: percent((self.user + self.system) / 1e6),
    },
  };
}

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

/** Each of `senders` sends at an equal share of `rate` for `seconds`; returns send->receipt latencies. */
async function latencyRun(
  senders: { socket: Client; conversationId: string }[],
  receiver: Client,
  rate: number,
  seconds: number,
) {
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
  await sleep(500);
  receiver.off(ServerEvent.MESSAGE_CREATED);
  latencies.sort((a, b) => a - b);
  return {
    sent: sentAt.size,
    received: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function main() {
  const postgres = await startScratchPostgres();
  const database = `support_chat_bench_rt_${process.pid}`;
  const children: (ChildProcess | { stop(): Promise<void> })[] = [];
  try {
    const url = await postgres.createDatabase(database);
    await applyMigrations({ databaseUrl: url });
    if (process.env.BENCH_SYNCHRONOUS_COMMIT === 'off') {
      // To see what waiting for the WAL flush on each commit costs (not a recommendation).
      await postgres.run(`ALTER DATABASE "${database}" SET synchronous_commit = off`);
    }
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
    console.log(`Seeding ${USERS} users with a conversation, ${ADMINS} admins, ${idleUsers} idle users...`);
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
    const makeUsers = async (count: number, prefix: string) => {
      await db.user.createMany({
        data: Array.from({ length: count }, (_, i) => ({
          email: `${prefix}${i}@bench.test`,
          passwordHash,
          role: 'customer' as const,
        })),
      });
      const users = await db.user.findMany({ where: { email: { startsWith: prefix } }, select: { id: true } });
      await db.customerProfile.createMany({
        data: users.map((u, i) => ({
          userId: u.id,
          fullName: `Bench Customer ${i}`,
          phone: `+44 7700 ${100000 + i}`,
          city: 'Leeds',
        })),
      });
      return users;
    };
    const senders = await makeUsers(USERS, 'sender');
    await db.supportConversation.createMany({
      data: senders.map((u) => ({ userId: u.id, userType: 'customer' as const })),
    });
    const conversations = await db.supportConversation.findMany({ select: { id: true, userId: true } });
    const conversationOf = new Map(conversations.map((c) => [c.userId, c.id]));
    const idle = await makeUsers(Math.max(idleUsers, 100), 'idle');

    // --- The floor: bare Socket.IO, same topology ------------------------------------------------
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
    console.log(
      `\nFloor (bare Socket.IO, no database, no auth): ${floorAdmins.length + floorUsers.length + floorIdle.length} sockets`,
    );
    const floorSenders = floorUsers.map((socket, i) => ({ socket, conversationId: conversations[i]?.id ?? '' }));
    const floorRun = await withCpu(floor.pid ?? 0, () =>
      latencyRun(floorSenders, floorAdmins[0] as Client, RATE, SECONDS),
    );
    console.log(
      `  ${RATE} msg/s for ${SECONDS} s: p50 ${floorRun.result.p50.toFixed(2)} ms, p99 ${floorRun.result.p99.toFixed(2)} ms (${floorRun.result.received}/${floorRun.result.sent} delivered); CPU ${JSON.stringify(floorRun.cpu)}`,
    );
    for (const socket of [...floorAdmins, ...floorUsers, ...floorIdle]) socket.disconnect();
    floor.kill('SIGINT');

    // --- The product ---------------------------------------------------------------------------
    const server = await startServerProcess(
      {
        DATABASE_URL: url,
        LOG_LEVEL: 'error',
        DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10',
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
    const serverPid = server.pid;
    const supportUrl = `${server.baseUrl}/support`;
    const admins = await connectMany(supportUrl, await Promise.all(adminTokens.map(async (token) => ({ token }))));
    const users = await connectMany(
      supportUrl,
      await Promise.all(senders.map(async (u) => ({ token: await tokenOf(u.id) }))),
    );
    const idleTokens = await Promise.all(idle.slice(0, idleUsers).map((u) => tokenOf(u.id)));
    const idleSockets = await connectMany(
      supportUrl,
      idleTokens.map((token) => ({ token })),
    );
    console.log(
      `\nSupport Chat (server/main.ts, PostgreSQL, JWT, rooms): ${admins.length + users.length + idleSockets.length} sockets`,
    );
    const productSenders = users.map((socket, i) => ({
      socket,
      conversationId: conversationOf.get(senders[i]?.id ?? '') ?? '',
    }));
    await latencyRun(productSenders.slice(0, 50), admins[0] as Client, 100, 2); // warm-up
    const transactions = async () =>
      Number(
        (
          await db.$queryRaw<
            { n: bigint }[]
          >`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`
        )[0]?.n ?? 0,
      );
    const transactionsBefore = await transactions();
    const run = await withCpu(serverPid, () => latencyRun(productSenders, admins[0] as Client, RATE, SECONDS));
    const transactionsPerMessage = (await transactions()) - transactionsBefore;
    const ratio = (ours: number, floorValue: number) => (ours / floorValue).toFixed(1);
    console.log(
      `  ${RATE} msg/s for ${SECONDS} s: p50 ${run.result.p50.toFixed(2)} ms, p99 ${run.result.p99.toFixed(2)} ms (${run.result.received}/${run.result.sent} delivered); CPU ${JSON.stringify(run.cpu)}`,
    );
    console.log(
      `  ratio to the floor: p50 x${ratio(run.result.p50, floorRun.result.p50)}, p99 x${ratio(run.result.p99, floorRun.result.p99)}; database transactions per message: ${(transactionsPerMessage / run.result.sent).toFixed(2)}`,
    );

    // --- Throughput: every user sends as fast as its acks come back ------------------------------
    const before = await db.supportMessage.count();
    let acked = 0;
    let stop = false;
    const throughput = await withCpu(serverPid, async () => {
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
    if (process.env.BENCH_SERVER_LOG) fs.writeFileSync(process.env.BENCH_SERVER_LOG, server.output());
    console.log(
      `  throughput: ${Math.round(acked / throughput.result.seconds)} acked msg/s, ${persisted} persisted in ${throughput.result.seconds.toFixed(1)} s = ${Math.round(persisted / throughput.result.seconds)} msg/s; CPU ${JSON.stringify(throughput.cpu)}`,
    );
    for (const socket of [...admins, ...users, ...idleSockets]) socket.disconnect();
    await server.stop();

    // --- Memory per idle socket ----------------------------------------------------------------
    const fresh = await startServerProcess({ DATABASE_URL: url, LOG_LEVEL: 'error' });
    children.push(fresh);
    const freshUrl = `${fresh.baseUrl}/support`;
    // Warm the process up (code paths, pools) before the baseline.
    const warm = await connectMany(
      freshUrl,
      idleTokens.slice(0, 50).map((token) => ({ token })),
    );
    for (const socket of warm) socket.disconnect();
    await sleep(1000);
    const baseline = rssBytes(fresh.pid);
    const idleAuths = Array.from({ length: IDLE_SOCKETS }, (_, i) => ({ token: idleTokens[i % idleTokens.length] }));
    const started = performance.now();
    const many = await connectMany(freshUrl, idleAuths, 200);
    const connectSeconds = (performance.now() - started) / 1000;
    await sleep(3000);
    const loaded = rssBytes(fresh.pid);
    console.log(
      `  ${many.length} idle sockets: server RSS ${(baseline / 2 ** 20).toFixed(0)} MiB -> ${(loaded / 2 ** 20).toFixed(0)} MiB, ` +
        `${((loaded - baseline) / many.length / 1024).toFixed(1)} KiB per socket (connected in ${connectSeconds.toFixed(1)} s)`,
    );
    for (const socket of many) socket.disconnect();
    await db.$disconnect();
  } finally {
    for (const child of children) {
      if ('stop' in child) await child.stop().catch(() => {});
      else child.kill('SIGINT');
    }
    await postgres.dropDatabase(database).catch(() => {});
    await postgres.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
