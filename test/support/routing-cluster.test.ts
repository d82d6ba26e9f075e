// Routing over two real server processes sharing one PostgreSQL: capacity holds under 200
// concurrent new conversations spread over both, no conversation is given twice, and a process
// killed with SIGKILL takes its agents offline within the grace period, their conversations
// re-routed to agents on the surviving process. The processes serve both cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { goOnline, statusOf, waitForTeam } from '../helpers/routing.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { closeAllSockets, sleep } from '../helpers/sockets.js';

const NEW_CONVERSATIONS = 200;
const CAPACITY = 5;
/** Generous during the burst (a loaded machine may delay a heartbeat); short for the crash. */
const BURST_GRACE_SECONDS = 10;
const GRACE_SECONDS = 3;

describe('routing across two server processes', () => {
  let database: TestDatabase;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let agents: TestAdmin[];
  let lead: TestAdmin;
  let users: TestUser[];
  const agent = (index: number) => agents[index] as TestAdmin;

  beforeAll(async () => {
    database = await createTestDatabase();
    const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });
    const shared = {
      DATABASE_URL: database.url,
      SOCKET_ADAPTER: 'postgres',
      OPEN_CONVERSATIONS_PER_USER: '100',
      CONVERSATIONS_PER_HOUR: '1000',
    };
    [nodeA, nodeB] = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
    agents = [];
    for (const name of ['Ana', 'Ben', 'Cy', 'Dee']) {
      agents.push(await createAdmin(database.db, tokens, ['SUPPORT_CHAT'], name));
    }
    lead = await createAdmin(database.db, tokens, ['SETTINGS_MANAGE', 'SUPPORT_CHAT'], 'Lead');
    await database.db.adminProfile.update({ where: { id: lead.adminId }, data: { availability: 'away' } });
    users = [];
    for (let index = 0; index < NEW_CONVERSATIONS; index += 20) {
      users.push(...(await Promise.all(Array.from({ length: 20 }, () => createUser(database.db, tokens, 'customer')))));
    }
    const settings = await api(nodeA.baseUrl, 'PUT', '/api/admin/settings/support', {
      token: lead.token,
      body: {
        maxAttachmentSizeMB: 10,
        allowedAttachmentTypes: ['image/png'],
        autoAssignAdmin: true,
        maxOpenConversationsPerAgent: CAPACITY,
        agentOfflineGraceSeconds: BURST_GRACE_SECONDS,
      },
    });
    expect(settings.status).toBe(200);
    // Ana and Ben work on process A, Cy and Dee on process B.
    for (const [index, agent] of agents.entries()) await goOnline(index < 2 ? nodeA.baseUrl : nodeB.baseUrl, agent);
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await database?.drop();
  });

  it(`capacity holds under ${NEW_CONVERSATIONS} concurrent new conversations over both processes`, async () => {
    const answers = await Promise.all(
      users.map((user, index) =>
        api(index % 2 === 0 ? nodeA.baseUrl : nodeB.baseUrl, 'POST', '/api/support/conversations', {
          token: user.token,
          body: { subject: `Burst ${index}` },
        }),
      ),
    );
    expect(answers.filter((answer) => answer.status !== 201).map((answer) => answer.status)).toEqual([]);
    const load = await database.db.supportConversation.groupBy({
      by: ['adminId'],
      where: { status: 'open' },
      _count: true,
    });
    const perAgent = Object.fromEntries(load.map((row) => [row.adminId ?? 'queue', row._count]));
    expect(perAgent).toEqual({
      [agent(0).adminId]: CAPACITY,
      [agent(1).adminId]: CAPACITY,
      [agent(2).adminId]: CAPACITY,
      [agent(3).adminId]: CAPACITY,
      queue: NEW_CONVERSATIONS - 4 * CAPACITY,
    });
    // Every assignment decided once: one audit record per assigned conversation.
    const audits = await database.db.auditLog.groupBy({
      by: ['targetId'],
      where: { action: 'SUPPORT_CONVERSATION_ASSIGNED' },
      _count: true,
    });
    expect(audits).toHaveLength(4 * CAPACITY);
    expect(audits.every((row) => row._count === 1)).toBe(true);
  }, 60_000);

  it("a SIGKILLed process's agents go offline within the grace period; their conversations are re-routed", async () => {
    const shortGrace = await api(nodeA.baseUrl, 'PUT', '/api/admin/settings/support', {
      token: lead.token,
      body: {
        maxAttachmentSizeMB: 10,
        allowedAttachmentTypes: ['image/png'],
        autoAssignAdmin: true,
        maxOpenConversationsPerAgent: CAPACITY,
        agentOfflineGraceSeconds: GRACE_SECONDS,
      },
    });
    expect(shortGrace.status).toBe(200);
    // Clear the queue, then give Ana and Ben room for Cy's and Dee's conversations.
    await database.db.supportConversation.updateMany({ where: { adminId: null }, data: { status: 'resolved' } });
    for (const agent of agents.slice(0, 2)) {
      const raised = await api(nodeA.baseUrl, 'PUT', `/api/admin/support/agents/${agent.adminId}/capacity`, {
        token: lead.token,
        body: { maxOpenConversations: 2 * CAPACITY },
      });
      expect(raised.status).toBe(200);
    }
    const onB = await database.db.supportConversation.findMany({
      where: { adminId: { in: [agent(2).adminId, agent(3).adminId] }, status: 'open' },
      select: { id: true },
    });
    expect(onB).toHaveLength(2 * CAPACITY);

    const killedAt = Date.now();
    await nodeB.kill('SIGKILL');
    const gone = (team: Parameters<typeof statusOf>[0]) =>
      statusOf(team, agent(2)) === 'offline' && statusOf(team, agent(3)) === 'offline';
    await waitForTeam(nodeA.baseUrl, agent(0), gone, (GRACE_SECONDS + 3) * 1000);
    const offlineAfterMs = Date.now() - killedAt;
    expect(offlineAfterMs).toBeLessThan((GRACE_SECONDS + 2) * 1000);
    // Not before the grace period: a crash looks like a network blip at first.
    expect(offlineAfterMs).toBeGreaterThanOrEqual((GRACE_SECONDS - 1.5) * 1000);

    const deadline = Date.now() + 5000;
    for (;;) {
      const rerouted = await database.db.supportConversation.findMany({
        where: { id: { in: onB.map((c) => c.id) } },
        select: { adminId: true },
      });
      if (rerouted.every((c) => c.adminId === agent(0).adminId || c.adminId === agent(1).adminId)) break;
      if (Date.now() > deadline) throw new Error(`not re-routed: ${JSON.stringify(rerouted)}`);
      await sleep(50);
    }
    const reasons = await database.db.auditLog.findMany({
      where: { action: 'SUPPORT_CONVERSATION_ASSIGNED', targetId: { in: onB.map((c) => c.id) } },
      orderBy: { createdAt: 'asc' },
    });
    expect(reasons.filter((a) => (a.metadata as { reason: string }).reason === 'requeued')).toHaveLength(2 * CAPACITY);
  }, 30_000);
});
