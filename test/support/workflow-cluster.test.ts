// The snooze wake-up is a schedule in PostgreSQL, not a timer: with two server processes every
// snoozed conversation wakes exactly once (one audit record, one live update each), and after both
// processes crash a new one wakes what fell due while nothing ran, and what falls due later on time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerEvent } from '../../common/realtime.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { closeAllSockets, connectSupport, sleep } from '../helpers/sockets.js';

const CONVERSATIONS = 20;
/**
 * A wake-up is on time when it happens within this long of its time: the sweep runs every second,
 * plus slack for a machine busy with the rest of the test suite.
 */
const ON_TIME_MS = 2500;

describe('snooze wake-up across server processes', () => {
  let database: TestDatabase;
  let nodes: ServerProcess[] = [];
  let ana: TestAdmin;
  let user: TestUser;
  let shared: Record<string, string>;

  const open = async (node: ServerProcess) => {
    const created = await api(node.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { subject: 'Later' },
    });
    expect(created.status).toBe(201);
    return created.json.conversation.id as string;
  };
  const snooze = async (node: ServerProcess, id: string, until: Date) => {
    const answer = await api(node.baseUrl, 'PUT', `/api/admin/support/conversations/${id}/status`, {
      token: ana.token,
      body: { status: 'snoozed', snoozedUntil: until.toISOString() },
    });
    expect(answer.status).toBe(200);
  };
  /** When each conversation woke (the system's audit record), once all of them did. */
  const wakeTimes = async (ids: string[], timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const records = await database.db.auditLog.findMany({
        where: { targetId: { in: ids }, action: 'SUPPORT_CONVERSATION_STATUS_CHANGED', actorType: 'system' },
      });
      if (new Set(records.map((r) => r.targetId)).size === ids.length) return records;
      if (Date.now() > deadline) throw new Error(`only ${records.length} of ${ids.length} woke`);
      await sleep(50);
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });
    shared = { DATABASE_URL: database.url, SOCKET_ADAPTER: 'postgres' };
    nodes = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
    ana = await createAdmin(database.db, tokens, ['SUPPORT_CHAT'], 'Ana');
    user = await createUser(database.db, tokens, 'customer');
  }, 90_000);

  afterAll(async () => {
    closeAllSockets();
    await Promise.all(nodes.map((node) => node.stop()));
    await database?.drop();
  });

  it(`${CONVERSATIONS} snoozes set on both processes wake once each, live, on time`, async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const ids = await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => open(i % 2 ? b : a)));
    const until = new Date(Date.now() + 1500);
    await Promise.all(ids.map((id, i) => snooze(i % 2 ? a : b, id, until)));
    // The agent's dashboard is on process B; whichever process wakes a conversation, B relays it.
    const socket = await connectSupport(b.baseUrl, ana.token);
    const seen = new Map<string, number>();
    const allSeen = new Promise<void>((resolve) => {
      socket.on(ServerEvent.CONVERSATION_UPDATED, ({ conversation }) => {
        if (!ids.includes(conversation.id) || conversation.status !== 'open') return;
        seen.set(conversation.id, (seen.get(conversation.id) ?? 0) + 1);
        if (seen.size === ids.length) resolve();
      });
    });
    const records = await wakeTimes(ids, 10_000);
    await allSeen;
    expect(records).toHaveLength(CONVERSATIONS);
    for (const record of records) expect(record.createdAt.getTime() - until.getTime()).toBeLessThan(ON_TIME_MS);
    const rows = await database.db.supportConversation.findMany({ where: { id: { in: ids } } });
    expect(rows.every((row) => row.status === 'open' && row.snoozedUntil === null)).toBe(true);
    await sleep(300);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
  }, 30_000);

  it('after every process crashed, a new one wakes what fell due meanwhile at once and the rest on time', async () => {
    const [a] = nodes as [ServerProcess];
    const [dueWhileDown, dueLater] = [await open(a), await open(a)];
    const crashedAt = Date.now();
    await snooze(a, dueWhileDown, new Date(crashedAt + 1000));
    await snooze(a, dueLater, new Date(crashedAt + 6000));
    await Promise.all(nodes.map((node) => node.kill('SIGKILL')));
    await sleep(Math.max(0, crashedAt + 1500 - Date.now()));
    expect((await database.db.supportConversation.findUniqueOrThrow({ where: { id: dueWhileDown } })).status).toBe(
      'snoozed',
    );

    const restarted = await startServerProcess(shared);
    const readyAt = Date.now();
    nodes.push(restarted);
    const records = await wakeTimes([dueWhileDown, dueLater], 15_000);
    const wokeAt = (id: string) => records.find((r) => r.targetId === id)?.createdAt.getTime() ?? Number.NaN;
    expect(wokeAt(dueWhileDown) - readyAt).toBeLessThan(ON_TIME_MS);
    // Due after the restart (or, on a slow start, while it started): on time either way.
    expect(wokeAt(dueLater) - Math.max(crashedAt + 6000, readyAt)).toBeLessThan(ON_TIME_MS);
    expect(wokeAt(dueLater)).toBeGreaterThanOrEqual(crashedAt + 6000);
    expect(records).toHaveLength(2);
  }, 45_000);
});
