// Agents' alert preferences (GET/PUT /api/admin/support/alert-preferences): the defaults, partial
// updates kept per agent, validation, who may call it, and that the token alone names the agent.
// Then the socket event the "queued" alert relies on: conversation:queued reaches support admins
// (never the user) when a conversation enters the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_PREFERENCES } from '../../common/alerts.js';
import { ServerEvent } from '../../common/realtime.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { closeAllSockets, connectSupport, nextEvent, recordEvents, sleep } from '../helpers/sockets.js';

const PATH = '/api/admin/support/alert-preferences';

describe('alert preferences', () => {
  let t: TestApp;
  let sofia: TestAdmin;
  let marcus: TestAdmin;
  let noChat: TestAdmin;
  let user: TestUser;

  const get = (token?: string) => api(t.baseUrl, 'GET', PATH, { token });
  const put = (body: unknown, token?: string) => api(t.baseUrl, 'PUT', PATH, { token, body });

  beforeAll(async () => {
    t = await startTestApp();
    const { db, tokens } = { db: t.database.db, tokens: t.services.tokens };
    sofia = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Sofia Reyes');
    marcus = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Marcus Lee');
    noChat = await createAdmin(db, tokens, ['SETTINGS_MANAGE'], 'Lena Settings');
    user = await createUser(db, tokens, 'customer', { fullName: 'Liam Patel' });
  });
  afterAll(async () => {
    closeAllSockets();
    await t.close();
  });

  it('answers the documented defaults until the agent changes something, without writing a row', async () => {
    const answer = await get(sofia.token);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      queued: { notification: true, sound: false, title: true },
      message: { notification: true, sound: true, title: true },
      mention: { notification: true, sound: true, title: true },
    });
    expect(answer.json).toEqual(DEFAULT_ALERT_PREFERENCES);
    expect(await t.database.db.agentAlertPreference.count()).toBe(0);
  });

  it('changes only the switches given, and keeps them', async () => {
    const first = await put({ message: { sound: false } }, sofia.token);
    expect(first.status).toBe(200);
    expect(first.json.message).toEqual({ notification: true, sound: false, title: true });
    expect(first.json.queued).toEqual(DEFAULT_ALERT_PREFERENCES.queued);

    const second = await put({ queued: { sound: true, title: false }, mention: { notification: false } }, sofia.token);
    expect(second.json).toEqual({
      queued: { notification: true, sound: true, title: false },
      message: { notification: true, sound: false, title: true }, // the first change stays
      mention: { notification: false, sound: true, title: true },
    });
    expect((await get(sofia.token)).json).toEqual(second.json);
  });

  it('refuses bad input with VALIDATION_FAILED and saves nothing', async () => {
    const before = (await get(sofia.token)).json;
    for (const body of [
      {},
      { message: {} },
      { message: { sound: 'no' } },
      { message: { sound: null } },
      { message: { vibrate: true } },
      { email: { sound: true } },
      { adminId: marcus.adminId, message: { sound: true } },
      [],
      'true',
    ]) {
      const answer = await put(body, sofia.token);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await get(sofia.token)).json).toEqual(before);
  });

  it('needs a token and SUPPORT_CHAT: 401 without one, 403 for users and other admins', async () => {
    expect((await get()).status).toBe(401);
    expect((await put({ message: { sound: true } })).status).toBe(401);
    expect((await get('not-a-token')).status).toBe(401);
    for (const token of [noChat.token, user.token]) {
      const read = await get(token);
      expect(read.status).toBe(403);
      expect(read.json.error.code).toBe('FORBIDDEN');
      expect((await put({ message: { sound: true } }, token)).status).toBe(403);
    }
  });

  it("keeps each agent's switches apart: the token names the agent, nothing else can", async () => {
    const sofiaBefore = (await get(sofia.token)).json;
    // Marcus sees the defaults, not Sofia's changes.
    expect((await get(marcus.token)).json).toEqual(DEFAULT_ALERT_PREFERENCES);
    // His change is his own.
    const changed = await put({ message: { notification: false } }, marcus.token);
    expect(changed.json.message.notification).toBe(false);
    expect((await get(sofia.token)).json).toEqual(sofiaBefore);
    // No way to name another agent: not in the body (refused above), not in the query.
    const viaQuery = await api(t.baseUrl, 'GET', `${PATH}?adminId=${sofia.adminId}`, { token: marcus.token });
    expect(viaQuery.json.message.notification).toBe(false);
    const rows = await t.database.db.agentAlertPreference.findMany({ orderBy: { adminId: 'asc' } });
    expect(rows.map((row) => row.adminId).sort()).toEqual([sofia.adminId, marcus.adminId].sort());
  });

  it('tells support admins, never the user, when a conversation enters the queue', async () => {
    const agentSocket = await connectSupport(t.baseUrl, sofia.token);
    const userSocket = await connectSupport(t.baseUrl, user.token);
    const userEvents = recordEvents(userSocket);

    // A new conversation nobody takes (routing is off here): queued.
    const queued = nextEvent(agentSocket, ServerEvent.CONVERSATION_QUEUED);
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { subject: 'Missing fries', message: { body: 'Where are my fries?' } },
    });
    expect(created.status).toBe(201);
    const conversationId = created.json.conversation.id;
    const first = await queued;
    expect(first.conversation).toMatchObject({ id: conversationId, status: 'open', adminId: null });
    expect(first.conversation.user?.displayName).toBe('Liam Patel'); // the admins' shape

    // Taken: not queued. Unassigned again: queued again, from a later queuedAt.
    const take = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${conversationId}/assign`, {
      token: sofia.token,
      body: {},
    });
    expect(take.status).toBe(200);
    const requeued = nextEvent(agentSocket, ServerEvent.CONVERSATION_QUEUED);
    const unassign = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${conversationId}/assign`, {
      token: sofia.token,
      body: { adminId: null },
    });
    expect(unassign.status).toBe(200);
    const second = await requeued;
    expect(second.conversation.id).toBe(conversationId);
    expect(Date.parse(second.conversation.queuedAt)).toBeGreaterThan(Date.parse(first.conversation.queuedAt));

    // Resolved, then reopened by an agent while unassigned: queued again.
    const status = (body: object) =>
      api(t.baseUrl, 'PUT', `/api/admin/support/conversations/${conversationId}/status`, { token: sofia.token, body });
    expect((await status({ status: 'resolved' })).status).toBe(200);
    const reopened = nextEvent(agentSocket, ServerEvent.CONVERSATION_QUEUED);
    expect((await status({ status: 'open' })).status).toBe(200);
    expect((await reopened).conversation.id).toBe(conversationId);

    await sleep(200);
    expect(userEvents.events.map((event) => event.event)).not.toContain(ServerEvent.CONVERSATION_QUEUED);
    expect(userEvents.events.map((event) => event.event)).toContain(ServerEvent.CONVERSATION_CREATED);
  });
});
