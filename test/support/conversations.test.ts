// Conversations and messaging over the HTTP API (spec section 8: API tests).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDto, MessageDto } from '../../common/support.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';

describe('support conversations and messages', () => {
  let t: TestApp;
  let customer: TestUser;
  let otherCustomer: TestUser;
  let agent: TestAdmin;
  let agent2: TestAdmin;

  beforeAll(async () => {
    t = await startTestApp();
    customer = await createUser(t.database.db, t.services.tokens, 'customer', {
      fullName: 'Priscilla Oyelaran',
      phone: '+44 7700 900555',
      email: 'priscilla.o@test.example',
    });
    otherCustomer = await createUser(t.database.db, t.services.tokens, 'customer');
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Agent One');
    agent2 = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Agent Two');
  });
  afterAll(() => t.close());

  const open = async (user: TestUser, body: object = {}) => {
    const response = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body });
    expect(response.status).toBe(201);
    return response.json as { conversation: ConversationDto; message: MessageDto | null };
  };
  const send = (token: string, conversationId: string, body: object) =>
    api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, { token, body });

  it('a user opens a conversation with a topic and a first message', async () => {
    const created = await open(customer, { subject: 'Missing item', message: { body: 'My fries were missing.' } });
    expect(created.conversation).toMatchObject({
      userId: customer.userId,
      userType: 'customer',
      status: 'open',
      subject: 'Missing item',
      adminId: null,
      unreadCount: 0,
      lastMessage: { preview: 'My fries were missing.', senderType: 'user', messageType: 'text' },
    });
    expect(created.conversation.user).toBeUndefined();
    expect(created.message).toMatchObject({ senderType: 'user', body: 'My fries were missing.', read: false });
    const row = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id: created.conversation.id } });
    expect(row.unreadForAdmin).toBe(1);
    const audit = await t.database.db.auditLog.findMany({ where: { targetId: created.conversation.id } });
    expect(audit.map((a) => a.action)).toEqual(['SUPPORT_CONVERSATION_CREATED']);
  });

  it('an empty conversation can be opened; admins cannot open conversations', async () => {
    const created = await open(otherCustomer);
    expect(created.message).toBeNull();
    expect(created.conversation.lastMessage).toBeNull();
    const byAdmin = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: agent.token, body: {} });
    expect(byAdmin.status).toBe(403);
  });

  it('the sender is the principal: a body naming another sender is ignored', async () => {
    const { conversation } = await open(customer);
    const sent = await send(customer.token, conversation.id, {
      body: 'hello',
      senderType: 'admin',
      senderAdminId: agent.adminId,
    });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ senderType: 'user', senderAdminId: null, senderName: null });
  });

  it('sends messages both ways, counts unread per side and assigns on the first admin reply', async () => {
    const { conversation } = await open(customer, { message: { body: 'Where is my order?' } });
    const reply = await send(agent.token, conversation.id, { body: 'Let me check that for you.' });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ senderType: 'admin', senderAdminId: agent.adminId, senderName: 'Agent One' });
    const asUser = await api(t.baseUrl, 'GET', `/api/support/conversations/${conversation.id}`, {
      token: customer.token,
    });
    expect(asUser.json).toMatchObject({
      unreadCount: 1,
      adminId: agent.adminId,
      assignee: { displayName: 'Agent One' },
    });
    const asAdmin = await api(t.baseUrl, 'GET', `/api/support/conversations/${conversation.id}`, {
      token: agent.token,
    });
    expect(asAdmin.json).toMatchObject({
      unreadCount: 1,
      user: { displayName: 'Priscilla Oyelaran', email: 'priscilla.o@test.example' },
    });
    // A second admin replying does not take it over.
    await send(agent2.token, conversation.id, { body: 'Adding a colleague here.' });
    const after = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(after.adminId).toBe(agent.adminId);
    expect(after.unreadForUser).toBe(2);
  });

  it('rejects empty and too long messages with clear codes, storing nothing', async () => {
    const { conversation } = await open(customer);
    const empty = await send(customer.token, conversation.id, { body: '   \n\t ' });
    expect(empty.status).toBe(400);
    expect(empty.json.error.code).toBe('MESSAGE_EMPTY');
    const onlyMarkup = await send(customer.token, conversation.id, { body: '<img src=x onerror=alert(1)>' });
    expect(onlyMarkup.json.error.code).toBe('MESSAGE_EMPTY');
    const long = await send(customer.token, conversation.id, { body: 'x'.repeat(4001) });
    expect(long.status).toBe(400);
    expect(long.json.error.code).toBe('MESSAGE_TOO_LONG');
    const wayTooLong = await send(customer.token, conversation.id, { body: 'x'.repeat(9000) });
    expect(wayTooLong.json.error.code).toBe('VALIDATION_FAILED');
    expect(await t.database.db.supportMessage.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  it('a retried send with the same clientMessageId is stored once, even when retries race', async () => {
    const { conversation } = await open(customer);
    const clientMessageId = `retry-${randomUUID()}`;
    const first = await send(customer.token, conversation.id, { body: 'only once', clientMessageId });
    expect(first.status).toBe(201);
    const again = await send(customer.token, conversation.id, { body: 'only once', clientMessageId });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    const racing = `race-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        send(customer.token, conversation.id, { body: 'racing', clientMessageId: racing }),
      ),
    );
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await t.database.db.supportMessage.count({ where: { conversationId: conversation.id } })).toBe(2);
    const row = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(row.unreadForAdmin).toBe(2);
    const audits = await t.database.db.auditLog.count({ where: { action: 'SUPPORT_MESSAGE_SENT' } });
    expect(audits).toBeGreaterThanOrEqual(2);
  });

  it('writes concurrent sends to many conversations together, each exactly once, with a bad one isolated', async () => {
    const users = await Promise.all(
      Array.from({ length: 12 }, () => createUser(t.database.db, t.services.tokens, 'customer')),
    );
    const conversations = await Promise.all(users.map(async (user) => (await open(user)).conversation.id));
    const duplicateId = `dup-${randomUUID()}`;
    const stored = await send(users[5]?.token ?? '', conversations[5] ?? '', {
      body: 'first',
      clientMessageId: duplicateId,
    });
    const principals = users.map((user) => ({
      kind: 'user' as const,
      userId: user.userId,
      userType: 'customer' as const,
    }));
    // All at once: the first two go straight to the database, the rest wait and are written together.
    // The last send targets someone else's conversation: it is refused, the others are unaffected.
    const results = await Promise.allSettled([
      ...principals.map((principal, i) =>
        t.services.support.sendMessage(principal, conversations[i] ?? '', {
          body: `batched ${i}`,
          ...(i === 5 ? { clientMessageId: duplicateId } : {}),
        }),
      ),
      t.services.support.sendMessage(principals[0] as (typeof principals)[number], conversations[2] ?? '', {
        body: 'not mine',
      }),
    ]);
    const intruder = results.pop();
    expect(intruder).toMatchObject({ status: 'rejected', reason: { status: 404 } });
    expect(results.map((r) => r.status)).toEqual(results.map(() => 'fulfilled'));
    const sent = results.map((r) => (r as PromiseFulfilledResult<{ message: MessageDto; created: boolean }>).value);
    expect(sent[5]).toMatchObject({ created: false, message: { id: stored.json.id, body: 'first' } });
    for (const [i, result] of sent.entries()) {
      if (i === 5) continue;
      expect(result).toMatchObject({
        created: true,
        message: { conversationId: conversations[i], body: `batched ${i}` },
      });
    }
    const rows = await t.database.db.supportConversation.findMany({ where: { id: { in: conversations } } });
    expect(rows.map((row) => row.unreadForAdmin)).toEqual(rows.map(() => 1));
    expect(await t.database.db.supportMessage.count({ where: { conversationId: { in: conversations } } })).toBe(12);
    const audited = sent.map((r) => r.message.id);
    expect(
      await t.database.db.auditLog.count({ where: { action: 'SUPPORT_MESSAGE_SENT', targetId: { in: audited } } }),
    ).toBe(12);
  });

  it('opens conversations that arrive together in shared transactions, each once with its first message', async () => {
    const users = await Promise.all(
      Array.from({ length: 40 }, () => createUser(t.database.db, t.services.tokens, 'driver')),
    );
    const created = await Promise.all(
      users.map((user, i) => open(user, { subject: `Burst ${i}`, message: { body: `Help ${i}` } })),
    );
    const ids = created.map((c) => c.conversation.id);
    const rows = await t.database.db.supportConversation.findMany({
      where: { id: { in: ids } },
      include: { messages: true },
    });
    expect(rows).toHaveLength(40);
    for (const [i, user] of users.entries()) {
      const row = rows.find((r) => r.userId === user.userId);
      expect(row?.subject).toBe(`Burst ${i}`);
      expect(row?.messages.map((m) => [m.seq, m.body])).toEqual([[1, `Help ${i}`]]);
      expect(created[i]?.message).toMatchObject({ body: `Help ${i}`, senderType: 'user' });
    }
    const audits = await t.database.db.auditLog.groupBy({
      by: ['action'],
      where: { targetId: { in: ids } },
      _count: true,
    });
    expect(audits).toEqual([{ action: 'SUPPORT_CONVERSATION_CREATED', _count: 40 }]);
    // xmin names the transaction that wrote a row: fewer transactions than conversations.
    const [written] = await t.database.db.$queryRaw<{ transactions: number }[]>`
      SELECT count(DISTINCT xmin::text)::int AS transactions FROM "SupportConversation" WHERE id = ANY(${ids}::uuid[])`;
    expect(written?.transactions).toBeLessThan(40);
  });

  it('keeps messages in a strict order under concurrent sends, and pages history both ways', async () => {
    const { conversation } = await open(customer);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        send(i % 2 ? agent.token : customer.token, conversation.id, { body: `message ${i}` }),
      ),
    );
    const rows = await t.database.db.supportMessage.findMany({
      where: { conversationId: conversation.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows).toHaveLength(25);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]?.createdAt.getTime()).toBeGreaterThan(rows[i - 1]?.createdAt.getTime() ?? 0);
    }
    const path = `/api/support/conversations/${conversation.id}/messages`;
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await api(t.baseUrl, 'GET', `${path}?limit=10${before ? `&before=${before}` : ''}`, {
        token: customer.token,
      });
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((m: MessageDto) => m.id));
      if (!page.json.hasMore) break;
      before = page.json.items.at(-1).id;
    }
    expect(seen).toEqual(rows.map((r) => r.id).reverse());
    const after = await api(t.baseUrl, 'GET', `${path}?after=${rows[19]?.id}&limit=10`, { token: agent.token });
    expect(after.json.items.map((m: MessageDto) => m.id)).toEqual(rows.slice(20).map((r) => r.id));
    expect(after.json.hasMore).toBe(false);
    const both = await api(t.baseUrl, 'GET', `${path}?after=${rows[0]?.id}&before=${rows[3]?.id}`, {
      token: agent.token,
    });
    expect(both.status).toBe(400);
    const foreignCursor = await api(t.baseUrl, 'GET', `${path}?before=${randomUUID()}`, { token: agent.token });
    expect(foreignCursor.status).toBe(400);
  });

  it('markAsRead is a watermark over the other side, exact under concurrency, and a no-op on own messages', async () => {
    const { conversation, message: first } = await open(customer, { message: { body: 'one' } });
    const second = (await send(customer.token, conversation.id, { body: 'two' })).json as MessageDto;
    const third = (await send(customer.token, conversation.id, { body: 'three' })).json as MessageDto;
    const reply = (await send(agent.token, conversation.id, { body: 'reply' })).json as MessageDto;

    const own = await api(t.baseUrl, 'POST', `/api/support/messages/${third.id}/read`, { token: customer.token });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ readerType: 'user', markedCount: 0, unreadCount: 1 });

    const results = await Promise.all(
      [second.id, second.id, third.id].map((id) =>
        api(t.baseUrl, 'POST', `/api/support/messages/${id}/read`, { token: agent.token }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.reduce((sum, r) => sum + r.json.markedCount, 0)).toBe(3);
    const row = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(row.unreadForAdmin).toBe(0);
    expect(row.unreadForUser).toBe(1);
    const messages = await t.database.db.supportMessage.findMany({
      where: { conversationId: conversation.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(messages.map((m) => [m.id, m.read])).toEqual([
      [first?.id, true],
      [second.id, true],
      [third.id, true],
      [reply.id, false],
    ]);
    expect(messages[0]?.readAt).toBeInstanceOf(Date);

    const userReads = await api(t.baseUrl, 'POST', `/api/support/messages/${reply.id}/read`, { token: customer.token });
    expect(userReads.json).toMatchObject({
      readerType: 'user',
      markedCount: 1,
      unreadCount: 0,
      upToMessageId: reply.id,
    });
  });

  it('unread totals per side', async () => {
    const user = await createUser(t.database.db, t.services.tokens, 'driver');
    const a = await open(user, { message: { body: 'a' } });
    const b = await open(user, { message: { body: 'b' } });
    await send(agent.token, a.conversation.id, { body: 'r1' });
    await send(agent.token, a.conversation.id, { body: 'r2' });
    await send(agent.token, b.conversation.id, { body: 'r3' });
    const totals = await api(t.baseUrl, 'GET', '/api/support/unread', { token: user.token });
    expect(totals.json).toEqual({ messages: 3, conversations: 2 });
    const adminTotals = await api(t.baseUrl, 'GET', '/api/admin/support/unread', { token: agent.token });
    const expected = await t.database.db.supportConversation.aggregate({
      _sum: { unreadForAdmin: true },
      where: { unreadForAdmin: { gt: 0 } },
      _count: true,
    });
    expect(adminTotals.json).toEqual({ messages: expected._sum.unreadForAdmin, conversations: expected._count });
  });

  it('assign, take, unassign, resolve and reopen; a user message reopens a resolved conversation', async () => {
    const { conversation } = await open(customer, { message: { body: 'help' } });
    const base = `/api/admin/support/conversations/${conversation.id}`;
    const take = await api(t.baseUrl, 'POST', `${base}/assign`, { token: agent.token, body: {} });
    expect(take.json).toMatchObject({ adminId: agent.adminId, assignee: { displayName: 'Agent One' } });
    // Agent Two has no dashboard open (offline): assigning to them needs force (routing.test.ts).
    const give = await api(t.baseUrl, 'POST', `${base}/assign`, {
      token: agent.token,
      body: { adminId: agent2.adminId, force: true },
    });
    expect(give.json.adminId).toBe(agent2.adminId);
    const viewer = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE']);
    const toViewer = await api(t.baseUrl, 'POST', `${base}/assign`, {
      token: agent.token,
      body: { adminId: viewer.adminId },
    });
    expect(toViewer.status).toBe(400);
    const unassign = await api(t.baseUrl, 'POST', `${base}/assign`, { token: agent.token, body: { adminId: null } });
    expect(unassign.json.adminId).toBeNull();

    const resolved = await api(t.baseUrl, 'POST', `${base}/resolve`, { token: agent.token });
    expect(resolved.json).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    await send(customer.token, conversation.id, { body: 'actually, one more thing' });
    const reopenedByMessage = await api(t.baseUrl, 'GET', `/api/support/conversations/${conversation.id}`, {
      token: agent.token,
    });
    expect(reopenedByMessage.json).toMatchObject({ status: 'open', resolvedAt: null });
    await api(t.baseUrl, 'POST', `${base}/resolve`, { token: agent.token });
    const reopened = await api(t.baseUrl, 'POST', `${base}/reopen`, { token: agent.token });
    expect(reopened.json.status).toBe('open');
    const actions = await t.database.db.auditLog.findMany({
      where: { targetId: conversation.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(actions.map((a) => a.action)).toEqual([
      'SUPPORT_CONVERSATION_CREATED',
      'SUPPORT_CONVERSATION_ASSIGNED',
      'SUPPORT_CONVERSATION_ASSIGNED',
      'SUPPORT_CONVERSATION_ASSIGNED',
      'SUPPORT_CONVERSATION_RESOLVED',
      'SUPPORT_CONVERSATION_RESOLVED',
      'SUPPORT_CONVERSATION_REOPENED',
    ]);
  });

  it("the user panel: profile details and the user's other conversations", async () => {
    const driver = await createUser(t.database.db, t.services.tokens, 'driver', { fullName: 'Dmitri Volkov' });
    const first = await open(driver, { subject: 'Payout' });
    const second = await open(driver, { subject: 'App crash' });
    const details = await api(t.baseUrl, 'GET', `/api/admin/support/conversations/${second.conversation.id}/user`, {
      token: agent.token,
    });
    expect(details.json.user).toMatchObject({
      userId: driver.userId,
      userType: 'driver',
      displayName: 'Dmitri Volkov',
    });
    expect(details.json.otherConversations.map((c: ConversationDto) => c.id)).toEqual([first.conversation.id]);
    const admins = await api(t.baseUrl, 'GET', '/api/admin/support/admins', { token: agent.token });
    expect(admins.json.map((a: { adminId: string }) => a.adminId)).toEqual(
      expect.arrayContaining([agent.adminId, agent2.adminId]),
    );
  });

  it('attachment limits are readable by every signed-in principal', async () => {
    const limits = await api(t.baseUrl, 'GET', '/api/support/settings', { token: customer.token });
    expect(limits.json).toEqual({ maxAttachmentSizeMB: 10, allowedAttachmentTypes: expect.any(Array) });
  });
});
