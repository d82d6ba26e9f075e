// Conversation workflow on one process (real PostgreSQL, HTTP and sockets): pending and snoozed
// leave the agent's load and reopen when the user writes, a snooze wakes by itself, priority,
// what the user sees (always "open", no priority), the live events per audience, the audit
// records (ids only), validation, authorisation, and the inbox's status/priority filters and sort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerEvent } from '../../common/realtime.js';
import type { ConversationDto } from '../../common/support.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { team } from '../helpers/routing.js';
import {
  closeAllSockets,
  connectSupport,
  nextEvent,
  recordEvents,
  type SupportClient,
  sleep,
} from '../helpers/sockets.js';

describe('conversation workflow', () => {
  let t: TestApp;
  let ana: TestAdmin;
  let reporter: TestAdmin;
  let user: TestUser;
  let anaSocket: SupportClient;
  let userSocket: SupportClient;

  const open = async (subject = 'Help') => {
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { subject, message: { body: 'Hello' } },
    });
    expect(created.status).toBe(201);
    const id = created.json.conversation.id as string;
    expect(
      (await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${id}/assign`, { token: ana.token, body: {} }))
        .status,
    ).toBe(200);
    return id;
  };
  const setStatus = (id: string, body: unknown, token = ana.token) =>
    api(t.baseUrl, 'PUT', `/api/admin/support/conversations/${id}/status`, { token, body });
  const setPriority = (id: string, priority: string, token = ana.token) =>
    api(t.baseUrl, 'PUT', `/api/admin/support/conversations/${id}/priority`, { token, body: { priority } });
  const userSends = (id: string, body = 'Any news?') =>
    api(t.baseUrl, 'POST', `/api/support/conversations/${id}/messages`, { token: user.token, body: { body } });
  const asUser = async (id: string) => {
    const { json } = await api(t.baseUrl, 'GET', '/api/support/conversations', { token: user.token });
    return (json.items as ConversationDto[]).find((c) => c.id === id);
  };
  const openLoad = async () => (await team(t.baseUrl, ana)).agents.find((a) => a.adminId === ana.adminId)?.open;
  const row = (id: string) => t.database.db.supportConversation.findUniqueOrThrow({ where: { id } });
  const updatedFor = (socket: SupportClient, id: string, check: (c: ConversationDto) => boolean = () => true) =>
    nextEvent(socket, ServerEvent.CONVERSATION_UPDATED, (e) => e.conversation.id === id && check(e.conversation));

  beforeAll(async () => {
    t = await startTestApp();
    ana = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Ana');
    reporter = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_REPORTS'], 'Rae');
    user = await createUser(t.database.db, t.services.tokens, 'customer');
    anaSocket = await connectSupport(t.baseUrl, ana.token);
    userSocket = await connectSupport(t.baseUrl, user.token);
  });
  afterAll(async () => {
    closeAllSockets();
    await t?.close();
  });

  it('pending leaves the agent load and reopens (routing sees it) when the user writes; an agent message keeps it pending', async () => {
    const id = await open();
    expect(await openLoad()).toBe(1);
    const userEvents = recordEvents(userSocket);
    const live = updatedFor(anaSocket, id, (c) => c.status === 'pending');
    const pending = await setStatus(id, { status: 'pending' });
    expect(pending.status).toBe(200);
    expect(pending.json).toMatchObject({ status: 'pending', snoozedUntil: null, adminId: ana.adminId });
    await live;
    expect(await openLoad()).toBe(0);
    // The user's view did not change ("open" throughout): nothing is sent to the user.
    expect((await asUser(id))?.status).toBe('open');
    const agentReply = await api(t.baseUrl, 'POST', `/api/support/conversations/${id}/messages`, {
      token: ana.token,
      body: { body: 'Could you send the order number?' },
    });
    expect(agentReply.status).toBe(201);
    expect((await row(id)).status).toBe('pending');
    await sleep(100);
    expect(userEvents.events.filter((e) => e.event === ServerEvent.CONVERSATION_UPDATED)).toEqual([]);

    const reopened = nextEvent(
      anaSocket,
      ServerEvent.MESSAGE_CREATED,
      (e) => e.conversation.id === id && e.message.senderType === 'user',
    );
    expect((await userSends(id)).status).toBe(201);
    expect((await reopened).conversation.status).toBe('open');
    // Routing handled the reopen (reopenPending cleared) and Ana, the previous agent, keeps it.
    const deadline = Date.now() + 5000;
    while ((await row(id)).reopenPending && Date.now() < deadline) await sleep(25);
    expect(await row(id)).toMatchObject({ status: 'open', reopenPending: false, adminId: ana.adminId });
    expect(await openLoad()).toBe(1);
    const audit = await t.database.db.auditLog.findMany({
      where: { targetId: id, action: 'SUPPORT_CONVERSATION_STATUS_CHANGED' },
    });
    expect(audit.map((a) => [a.actorId, a.metadata])).toEqual([
      [ana.userId, { conversationId: id, status: 'pending', previousStatus: 'open' }],
    ]);
  });

  it('snooze: validated, hidden from the user, reopened by a user message', async () => {
    const id = await open();
    const past = await setStatus(id, { status: 'snoozed', snoozedUntil: new Date(Date.now() - 1000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.json.error.code).toBe('SNOOZE_TIME_INVALID');
    const tooFar = await setStatus(id, {
      status: 'snoozed',
      snoozedUntil: new Date(Date.now() + 91 * 86_400_000).toISOString(),
    });
    expect(tooFar.json.error.code).toBe('SNOOZE_TIME_INVALID');
    const missing = await setStatus(id, { status: 'snoozed' });
    expect([missing.status, missing.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await setStatus(id, { status: 'sleeping' })).status).toBe(400);
    expect((await row(id)).status).toBe('open');

    const until = new Date(Date.now() + 3600_000);
    const snoozed = await setStatus(id, { status: 'snoozed', snoozedUntil: until.toISOString() });
    expect(snoozed.status).toBe(200);
    expect(snoozed.json).toMatchObject({ status: 'snoozed', snoozedUntil: until.toISOString() });
    expect(await asUser(id)).toMatchObject({ status: 'open', snoozedUntil: null, priority: 'none' });
    expect(await openLoad()).toBe(1); // the first case's conversation only

    expect((await userSends(id)).status).toBe(201);
    expect(await row(id)).toMatchObject({ status: 'open', snoozedUntil: null });
    const audit = await t.database.db.auditLog.findFirstOrThrow({
      where: { targetId: id, action: 'SUPPORT_CONVERSATION_STATUS_CHANGED' },
    });
    expect(audit.metadata).toMatchObject({ conversationId: id, status: 'snoozed', previousStatus: 'open' });
    expect(Math.abs((audit.metadata as { snoozeSeconds: number }).snoozeSeconds - 3600)).toBeLessThan(5);
  });

  it('a snooze wakes by itself, once, live to the agent', async () => {
    const id = await open();
    // Watched from the snooze on: an update from opening it (its assignment) may still be on its way.
    const snoozed = updatedFor(anaSocket, id, (c) => c.status === 'snoozed');
    expect(
      (await setStatus(id, { status: 'snoozed', snoozedUntil: new Date(Date.now() + 1000).toISOString() })).status,
    ).toBe(200);
    await snoozed;
    const woke = updatedFor(anaSocket, id, (c) => c.status === 'open');
    expect((await woke).conversation.snoozedUntil).toBeNull();
    expect(await row(id)).toMatchObject({ status: 'open', snoozedUntil: null, adminId: ana.adminId });
    const wakes = await t.database.db.auditLog.findMany({
      where: { targetId: id, action: 'SUPPORT_CONVERSATION_STATUS_CHANGED', actorType: 'system' },
    });
    expect(wakes.map((a) => a.metadata)).toEqual([
      { conversationId: id, status: 'open', previousStatus: 'snoozed', reason: 'snooze_ended' },
    ]);
  });

  it('resolve and reopen reach the user; priority is audited, admins only, and never shown to the user', async () => {
    const id = await open();
    const userSaw = updatedFor(userSocket, id, (c) => c.status === 'resolved');
    expect((await setStatus(id, { status: 'resolved' })).json.status).toBe('resolved');
    expect((await userSaw).conversation.resolvedAt).not.toBeNull();
    const userEvents = recordEvents(userSocket);
    const adminSaw = updatedFor(anaSocket, id, (c) => c.priority === 'urgent');
    const set = await setPriority(id, 'urgent');
    expect([set.status, set.json.priority]).toEqual([200, 'urgent']);
    await adminSaw;
    expect((await setPriority(id, 'urgent')).status).toBe(200); // the same again: no second record
    expect((await setPriority(id, 'critical')).status).toBe(400);
    await sleep(100);
    expect(userEvents.events).toEqual([]);
    expect((await asUser(id))?.priority).toBe('none');
    const audit = await t.database.db.auditLog.findMany({
      where: { targetId: id, action: 'SUPPORT_CONVERSATION_PRIORITY_SET' },
    });
    expect(audit.map((a) => a.metadata)).toEqual([
      { conversationId: id, priority: 'urgent', previousPriority: 'none' },
    ]);
    const reopened = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${id}/reopen`, {
      token: ana.token,
    });
    expect(reopened.json.status).toBe('open');
  });

  it('only support agents may change status or priority', async () => {
    const id = await open();
    expect((await setStatus(id, { status: 'pending' }, user.token)).status).toBe(403);
    expect((await setPriority(id, 'high', user.token)).status).toBe(403);
    expect((await setStatus(id, { status: 'pending' }, reporter.token)).status).toBe(403);
    expect(
      (await api(t.baseUrl, 'PUT', `/api/admin/support/conversations/${id}/status`, { body: { status: 'pending' } }))
        .status,
    ).toBe(401);
    expect((await setStatus('00000000-0000-4000-8000-000000000000', { status: 'pending' })).status).toBe(404);
    expect((await row(id)).status).toBe('open');
  });

  it('the inbox filters by status and priority and sorts by priority, then longest waiting, page by page', async () => {
    await t.database.db.supportConversation.updateMany({ data: { status: 'resolved' } });
    const ids: Record<string, string> = {};
    for (const [name, priority] of [
      ['lowOld', 'low'],
      ['urgent', 'urgent'],
      ['noneA', 'none'],
      ['lowNew', 'low'],
      ['high', 'high'],
    ] as const) {
      ids[name] = await open(name);
      if (priority !== 'none') await setPriority(ids[name] as string, priority);
    }
    const waiting = await open('waiting');
    await setStatus(waiting, { status: 'pending' });
    const list = async (query: string) => {
      const { status, json } = await api(t.baseUrl, 'GET', `/api/admin/support/conversations?${query}`, {
        token: ana.token,
      });
      expect(status).toBe(200);
      return json as { items: ConversationDto[]; nextCursor: string | null };
    };
    expect((await list('status=pending')).items.map((c) => c.id)).toEqual([waiting]);
    expect((await list('status=open&priority=low')).items.map((c) => c.subject)).toEqual(['lowNew', 'lowOld']);
    // Two per page, following the cursor.
    const order: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`status=open&sort=priority&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      order.push(...page.items.map((c) => c.subject));
      cursor = page.nextCursor;
    } while (cursor);
    expect(order).toEqual(['urgent', 'high', 'lowOld', 'lowNew', 'noneA']);
    // An activity cursor is not a priority cursor.
    const activity = await list('status=open&limit=1');
    expect(
      (
        await api(t.baseUrl, 'GET', `/api/admin/support/conversations?sort=priority&cursor=${activity.nextCursor}`, {
          token: ana.token,
        })
      ).status,
    ).toBe(400);
    expect(
      (await api(t.baseUrl, 'GET', '/api/admin/support/conversations?sort=oldest', { token: ana.token })).status,
    ).toBe(400);
  });
});
