// Routing on one process (real PostgreSQL, real sockets): presence, capacity, the queue and its
// four drain triggers, reopened conversations, manual assignment with "assign anyway", settings,
// and the team strip's live event. The grace period is the shortest allowed (3 s).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerEvent } from '../../common/realtime.js';
import type { SupportSettings } from '../../common/settings.js';
import type { AdminPrincipal } from '../../server/platform/auth/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { goOnline, statusOf, team, waitForTeam } from '../helpers/routing.js';
import { closeAllSockets, nextEvent, type SupportClient, sleep } from '../helpers/sockets.js';

const GRACE_SECONDS = 3;

describe('routing', () => {
  let t: TestApp;
  let ana: TestAdmin;
  let ben: TestAdmin;
  let lead: TestAdmin;
  let leadPrincipal: AdminPrincipal;
  let user: TestUser;
  const sockets: SupportClient[] = [];

  const configure = (overrides: Partial<SupportSettings> = {}) =>
    t.services.settings.updateSupport(leadPrincipal, {
      maxAttachmentSizeMB: 10,
      allowedAttachmentTypes: ['image/png'],
      autoAssignAdmin: true,
      maxOpenConversationsPerAgent: 5,
      agentOfflineGraceSeconds: GRACE_SECONDS,
      ...overrides,
    });
  const open = async (subject = 'Help') => {
    const { status, json } = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { subject },
    });
    expect(status).toBe(201);
    return json.conversation as { id: string; adminId: string | null; queuedAt: string };
  };
  const assigneeOf = async (id: string) =>
    (await t.database.db.supportConversation.findUniqueOrThrow({ where: { id } })).adminId;
  const waitForAssignee = async (id: string, expected: string | null, timeoutMs = 8000) => {
    const deadline = Date.now() + timeoutMs;
    while ((await assigneeOf(id)) !== expected) {
      if (Date.now() > deadline) throw new Error(`conversation ${id} is not assigned to ${expected}`);
      await sleep(25);
    }
  };
  const online = async (agent: TestAdmin) => {
    const socket = await goOnline(t.baseUrl, agent);
    sockets.push(socket);
    return socket;
  };
  const setAvailability = (agent: TestAdmin, availability: string) =>
    api(t.baseUrl, 'PUT', '/api/admin/support/me/availability', { token: agent.token, body: { availability } });
  const resolve = (agent: TestAdmin, id: string) =>
    api(t.baseUrl, 'POST', `/api/admin/support/conversations/${id}/resolve`, { token: agent.token });

  beforeAll(async () => {
    t = await startTestApp();
    ana = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Ana');
    ben = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Ben');
    lead = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE'], 'Lead');
    leadPrincipal = { kind: 'admin', userId: lead.userId, adminId: lead.adminId, permissions: ['SETTINGS_MANAGE'] };
    user = await createUser(t.database.db, t.services.tokens, 'customer');
  });
  afterEach(async () => {
    closeAllSockets();
    sockets.length = 0;
    await t.database.db.supportConversation.updateMany({ data: { status: 'resolved', reopenPending: false } });
    await t.database.db.adminProfile.updateMany({ data: { availability: 'online', maxOpenConversations: null } });
    await configure({ autoAssignAdmin: false });
    // Everyone offline again before the next case, without waiting out the grace period: the
    // closed sockets' rows go (once their close is recorded) and a sweep runs.
    await sleep(300);
    await t.database.db.agentConnection.deleteMany();
    await t.services.routing.kick();
    await waitForTeam(t.baseUrl, ana, (s) => s.agents.every((a) => a.status === 'offline'), 10_000);
  }, 15_000);
  afterAll(() => t.close());

  it('offline and away agents never receive; an online agent does', async () => {
    await configure();
    await online(ana);
    // Ben connects but is away: working, no new chats.
    await online(ben);
    expect((await setAvailability(ben, 'away')).json).toMatchObject({ status: 'away', chosen: 'away' });
    const created = [await open(), await open(), await open()];
    expect(created.map((c) => c.adminId)).toEqual([ana.adminId, ana.adminId, ana.adminId]);
    const snapshot = await team(t.baseUrl, ben);
    expect(snapshot.agents.find((a) => a.adminId === ana.adminId)).toMatchObject({
      status: 'online',
      open: 3,
      capacity: 5,
    });
    expect(statusOf(snapshot, ben)).toBe('away');
  });

  it('nobody qualifies: the conversation waits, oldest first; it drains on each trigger in order', async () => {
    await configure({ maxOpenConversationsPerAgent: 1 });
    // Nobody online: three wait.
    const [first, second, third, fourth] = [await open('1'), await open('2'), await open('3'), await open('4')];
    expect([first, second, third, fourth].map((c) => c.adminId)).toEqual([null, null, null, null]);
    expect((await team(t.baseUrl, ana)).queue).toMatchObject({ length: 4, oldestQueuedAt: first?.queuedAt });

    // 1. An agent comes online: the oldest goes to her.
    await online(ana);
    await waitForAssignee(first.id, ana.adminId);
    expect(await assigneeOf(second.id)).toBeNull();

    // 2. She resolves it: the next oldest arrives.
    expect((await resolve(ana, first.id)).status).toBe(200);
    await waitForAssignee(second.id, ana.adminId);
    expect(await assigneeOf(third.id)).toBeNull();

    // 3. A lead raises her capacity to 2: the next one arrives.
    const raised = await api(t.baseUrl, 'PUT', `/api/admin/support/agents/${ana.adminId}/capacity`, {
      token: lead.token,
      body: { maxOpenConversations: 2 },
    });
    expect(raised.json).toMatchObject({ capacity: 2, capacityOverridden: true });
    await waitForAssignee(third.id, ana.adminId);
    expect(await assigneeOf(fourth.id)).toBeNull();

    // 4. Ben comes online (room for 3) and takes the last. Ana's only socket closes: within the
    // grace period nothing moves; after it, her two return to the queue and go to Ben, oldest
    // first, audited as requeued. Ben's dashboard sees them arrive.
    await api(t.baseUrl, 'PUT', `/api/admin/support/agents/${ben.adminId}/capacity`, {
      token: lead.token,
      body: { maxOpenConversations: 3 },
    });
    const benSocket = await online(ben);
    await waitForAssignee(fourth.id, ben.adminId);
    const arrived = nextEvent(
      benSocket,
      ServerEvent.CONVERSATION_UPDATED,
      (e) => e.conversation.id === third.id && e.conversation.adminId === ben.adminId,
      15_000,
    );
    (sockets[0] as SupportClient).disconnect();
    await sleep(1500);
    expect(await assigneeOf(second.id)).toBe(ana.adminId);
    expect(statusOf(await team(t.baseUrl, ben), ana)).toBe('online');
    await arrived;
    expect(await assigneeOf(second.id)).toBe(ben.adminId);
    expect(statusOf(await team(t.baseUrl, ben), ana)).toBe('offline');
    const audits = await t.database.db.auditLog.findMany({
      where: { action: 'SUPPORT_CONVERSATION_ASSIGNED', targetId: { in: [second.id, third.id] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(audits.map((a) => (a.metadata as { reason: string }).reason)).toEqual([
      'auto',
      'auto',
      'requeued',
      'requeued',
    ]);
  }, 30_000);

  it('an agent who switches to offline sees her conversations leave to an online colleague', async () => {
    await configure();
    const anaSocket = await online(ana);
    const mine = await open();
    expect(mine.adminId).toBe(ana.adminId);
    await online(ben);
    const leaving = nextEvent(
      anaSocket,
      ServerEvent.CONVERSATION_UPDATED,
      (e) => e.conversation.id === mine.id && e.conversation.adminId === ben.adminId,
    );
    expect((await setAvailability(ana, 'offline')).json).toMatchObject({ status: 'offline', chosen: 'offline' });
    await leaving;
  });

  it('a reload within the grace period reassigns nothing, and reconnecting restores the chosen status', async () => {
    await configure();
    const first = await online(ana);
    await setAvailability(ana, 'away');
    await online(ben);
    await setAvailability(ana, 'online');
    const mine = await open();
    const conversationAgent = mine.adminId as string;
    const holder = conversationAgent === ana.adminId ? ana : ben;
    const holderSocket = holder === ana ? first : (sockets[1] as SupportClient);
    holderSocket.disconnect();
    await sleep(500);
    await online(holder);
    await sleep((GRACE_SECONDS + 1.5) * 1000);
    expect(await assigneeOf(mine.id)).toBe(holder.adminId);
    expect(statusOf(await team(t.baseUrl, ana), holder)).toBe('online');
    const audits = await t.database.db.auditLog.count({
      where: { action: 'SUPPORT_CONVERSATION_ASSIGNED', targetId: mine.id },
    });
    expect(audits).toBe(1);
  }, 20_000);

  it('a reopened conversation returns to its agent only if she is online with capacity', async () => {
    await configure({ maxOpenConversationsPerAgent: 1 });
    await online(ana);
    const first = await open();
    expect(first.adminId).toBe(ana.adminId);
    await resolve(ana, first.id);
    // The user writes again: Ana has room, she keeps it (audited as reopened).
    await api(t.baseUrl, 'POST', `/api/support/conversations/${first.id}/messages`, {
      token: user.token,
      body: { body: 'Still broken' },
    });
    await expect
      .poll(async () =>
        (
          await t.database.db.auditLog.findMany({
            where: { action: 'SUPPORT_CONVERSATION_ASSIGNED', targetId: first.id },
            orderBy: { createdAt: 'asc' },
          })
        ).map((a) => (a.metadata as { reason: string }).reason),
      )
      .toEqual(['auto', 'reopened']);
    expect(await assigneeOf(first.id)).toBe(ana.adminId);

    // Resolved again; a new one fills Ana. The user writes into the old one: Ana is full, so it is
    // routed like a new one, to Ben.
    await resolve(ana, first.id);
    const second = await open();
    expect(second.adminId).toBe(ana.adminId);
    await online(ben);
    await setAvailability(ben, 'away');
    await api(t.baseUrl, 'POST', `/api/support/conversations/${first.id}/messages`, {
      token: user.token,
      body: { body: 'Hello?' },
    });
    await waitForAssignee(first.id, null);
    await setAvailability(ben, 'online');
    await waitForAssignee(first.id, ben.adminId);
  }, 20_000);

  it('manual assignment asks before overloading: 409 AGENT_UNAVAILABLE / AGENT_AT_CAPACITY unless forced', async () => {
    await configure({ maxOpenConversationsPerAgent: 1, autoAssignAdmin: false });
    const conversation = await open();
    const other = await open();
    const assign = (id: string, body: object) =>
      api(t.baseUrl, 'POST', `/api/admin/support/conversations/${id}/assign`, { token: ana.token, body });
    const offline = await assign(conversation.id, { adminId: ben.adminId });
    expect(offline.status).toBe(409);
    expect(offline.json.error.code).toBe('AGENT_UNAVAILABLE');
    await online(ben);
    expect((await assign(conversation.id, { adminId: ben.adminId })).status).toBe(200);
    const full = await assign(other.id, { adminId: ben.adminId });
    expect(full.status).toBe(409);
    expect(full.json.error.code).toBe('AGENT_AT_CAPACITY');
    const forced = await assign(other.id, { adminId: ben.adminId, force: true });
    expect(forced.status).toBe(200);
    expect(forced.json.adminId).toBe(ben.adminId);
    const audit = await t.database.db.auditLog.findFirstOrThrow({
      where: { action: 'SUPPORT_CONVERSATION_ASSIGNED', targetId: other.id },
    });
    expect(audit.metadata).toMatchObject({ reason: 'manual', adminId: ben.adminId });
  });

  it("the team strip changes live in another agent's dashboard", async () => {
    await configure();
    const anaSocket = await online(ana);
    await online(ben);
    const seen = nextEvent(anaSocket, ServerEvent.TEAM_UPDATED, (team) => statusOf(team, ben) === 'away');
    await setAvailability(ben, 'away');
    const snapshot = await seen;
    expect(snapshot.agents.find((a) => a.adminId === ben.adminId)).toMatchObject({ open: 0, capacity: 5 });
  });

  it('routing settings and capacity overrides are validated and authorised', async () => {
    for (const [field, value] of [
      ['maxOpenConversationsPerAgent', 0],
      ['maxOpenConversationsPerAgent', 101],
      ['maxOpenConversationsPerAgent', 2.5],
      ['agentOfflineGraceSeconds', 2],
      ['agentOfflineGraceSeconds', 3601],
    ] as const) {
      const { status, json } = await api(t.baseUrl, 'PUT', '/api/admin/settings/support', {
        token: lead.token,
        body: {
          maxAttachmentSizeMB: 10,
          allowedAttachmentTypes: ['image/png'],
          autoAssignAdmin: true,
          [field]: value,
        },
      });
      expect(status, `${field}=${value}`).toBe(400);
      expect(json.error.details.fieldErrors[field]).toBeDefined();
    }
    const capacity = (token: string, body: object) =>
      api(t.baseUrl, 'PUT', `/api/admin/support/agents/${ana.adminId}/capacity`, { token, body });
    expect((await capacity(ana.token, { maxOpenConversations: 3 })).status).toBe(403);
    expect((await capacity(lead.token, { maxOpenConversations: 101 })).status).toBe(400);
    expect((await capacity(lead.token, { maxOpenConversations: null })).json).toMatchObject({
      capacityOverridden: false,
    });
    const unknown = await api(t.baseUrl, 'PUT', `/api/admin/support/agents/${lead.adminId}/capacity`, {
      token: lead.token,
      body: { maxOpenConversations: 3 },
    });
    expect(unknown.status).toBe(404);
    expect((await setAvailability(ana, 'busy')).status).toBe(400);
    expect((await api(t.baseUrl, 'GET', '/api/admin/support/team', { token: user.token })).status).toBe(403);
  });
});
