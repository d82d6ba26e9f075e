// The admin inbox: search, filters, keyset paging and a fixed number of SQL statements per page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDto } from '../../common/support.js';
import { createDb } from '../../server/db/client.js';
import type { AdminPrincipal } from '../../server/platform/auth/principal.js';
import { createSupportService } from '../../server/support/support.service.js';
import { createSupportEvents } from '../../server/support/support-events.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';

describe('admin inbox (listAdminConversations)', () => {
  let t: TestApp;
  let agent: TestAdmin;
  let other: TestAdmin;
  let driver: TestUser;
  let customer: TestUser;
  let restaurant: TestUser;
  const ids: Record<string, string> = {};

  const list = async (query = '', token = agent.token) => {
    const response = await api(t.baseUrl, 'GET', `/api/admin/support/conversations${query}`, { token });
    expect(response.status).toBe(200);
    return response.json as { items: ConversationDto[]; nextCursor: string | null };
  };
  const open = async (user: TestUser, body: string) => {
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { message: { body } },
    });
    return created.json.conversation.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp();
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Inbox Agent');
    other = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Other Agent');
    driver = await createUser(t.database.db, t.services.tokens, 'driver', {
      fullName: 'Zebedee Quartermaine',
      phone: '+44 7700 123987',
      email: 'zq.driver@fleet.example',
    });
    customer = await createUser(t.database.db, t.services.tokens, 'customer', { fullName: 'Ottoline Fairweather' });
    restaurant = await createUser(t.database.db, t.services.tokens, 'restaurant', { fullName: 'Quartermaine Pizza' });
    ids.driver = await open(driver, 'My payout is late');
    ids.customer = await open(customer, 'Cold food');
    ids.restaurant = await open(restaurant, 'Update our menu please');
    // The customer's conversation: replied to (assigned to the agent) and read by support.
    const reply = await api(t.baseUrl, 'POST', `/api/support/conversations/${ids.customer}/messages`, {
      token: agent.token,
      body: { body: 'Sorry about that!' },
    });
    const first = await t.database.db.supportMessage.findFirstOrThrow({
      where: { conversationId: ids.customer, senderType: 'user' },
    });
    await api(t.baseUrl, 'POST', `/api/support/messages/${first.id}/read`, { token: agent.token });
    expect(reply.status).toBe(201);
    await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${ids.restaurant}/assign`, {
      token: agent.token,
      // The other admin is offline (no dashboard open): assigning to them needs force.
      body: { adminId: other.adminId, force: true },
    });
    await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${ids.restaurant}/resolve`, { token: agent.token });
  });
  afterAll(() => t.close());

  it('lists every conversation, newest activity first, with user, preview, unread count and assignee', async () => {
    const { items } = await list();
    expect(items.map((c) => c.id).sort()).toEqual([ids.restaurant, ids.customer, ids.driver].sort());
    const sorted = [...items].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
    expect(items.map((c) => c.id)).toEqual(sorted.map((c) => c.id));
    const customerRow = items.find((c) => c.id === ids.customer);
    expect(customerRow).toMatchObject({
      user: { displayName: 'Ottoline Fairweather', userType: 'customer' },
      lastMessage: { preview: 'Sorry about that!', senderType: 'admin' },
      unreadCount: 0,
      assignee: { adminId: agent.adminId, displayName: 'Inbox Agent' },
    });
    expect(items.find((c) => c.id === ids.driver)).toMatchObject({ unreadCount: 1, assignee: null });
  });

  it.each([
    ['by name fragment', '?search=quarterm', () => [ids.restaurant, ids.driver]],
    ['by e-mail fragment', '?search=zq.driver@fleet', () => [ids.driver]],
    ['by phone fragment', '?search=123987', () => [ids.driver]],
    ['by phone digits typed without spacing', '?search=7700123', () => [ids.driver]],
    ['by phone typed with other spacing', `?search=${encodeURIComponent('+447700 123 987')}`, () => [ids.driver]],
    ['case-insensitively', '?search=OTTOLINE', () => [ids.customer]],
    ['by conversation id', () => `?search=${ids.customer}`, () => [ids.customer]],
    ['by user type', '?userType=restaurant', () => [ids.restaurant]],
    ['by status', '?status=resolved', () => [ids.restaurant]],
    ['assigned to me', '?assigned=me', () => [ids.customer]],
    ['unassigned', '?assigned=unassigned', () => [ids.driver]],
    ['unread only', '?unreadOnly=true', () => [ids.driver, ids.restaurant]],
    ['combined', '?search=quarterm&userType=driver', () => [ids.driver]],
    ['no match', '?search=nobody-by-this-name', () => []],
  ])('filters %s', async (_label, query, expected) => {
    const { items } = await list(typeof query === 'function' ? query() : query);
    expect(items.map((c) => c.id).sort()).toEqual(expected().sort());
  });

  it('follows profile and e-mail changes made after the conversation was opened', async () => {
    await t.database.db.customerProfile.update({
      where: { userId: customer.userId },
      data: { fullName: 'Ottoline Merriweather' },
    });
    expect((await list('?search=merriweather')).items.map((c) => c.id)).toEqual([ids.customer]);
    expect((await list('?search=fairweather')).items).toEqual([]);
    await t.database.db.user.update({ where: { id: customer.userId }, data: { email: 'otto.m@new-mail.example' } });
    expect((await list('?search=new-mail')).items.map((c) => c.id)).toEqual([ids.customer]);
    const row = (await list(`?search=${ids.customer}`)).items[0];
    expect(row?.user).toMatchObject({ displayName: 'Ottoline Merriweather', email: 'otto.m@new-mail.example' });
  });

  it('treats LIKE wildcards in a search as plain characters', async () => {
    expect((await list('?search=%25')).items).toEqual([]);
    expect((await list('?search=_')).items).toEqual([]);
  });

  it('pages with a keyset cursor: no duplicates, no gaps, stable under new activity', async () => {
    const pager = await createUser(t.database.db, t.services.tokens, 'customer');
    for (let i = 0; i < 7; i++) await open(pager, `conversation ${i}`);
    const all = (await list('?limit=100')).items.map((c) => c.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
      // New activity while paging moves a conversation to the top, not into the pages still to come.
      if (pages === 1) await open(pager, 'brand new');
    } while (cursor);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await api(t.baseUrl, 'GET', '/api/admin/support/conversations?cursor=not-a-cursor', {
      token: agent.token,
    });
    expect(bad.status).toBe(400);
  });

  it('runs a fixed number of SQL statements per page, whatever the page size', async () => {
    const statements: string[] = [];
    const db = createDb(t.database.url, { logQueries: (sql) => statements.push(sql) });
    const service = createSupportService({
      ...t.services,
      db,
      events: createSupportEvents(t.app.log as never),
      logger: t.app.log as never,
      maxOpenConversationsPerUser: t.config.limits.openConversationsPerUser,
    });
    const principal: AdminPrincipal = {
      kind: 'admin',
      userId: agent.userId,
      adminId: agent.adminId,
      permissions: ['SUPPORT_CHAT'],
    };
    const countFor = async (limit: number, search?: string) => {
      statements.length = 0;
      const page = await service.listAdminConversations(principal, { limit, ...(search ? { search } : {}) });
      return { statements: statements.length, rows: page.items.length };
    };
    const small = await countFor(2);
    const large = await countFor(50);
    const searched = await countFor(50, 'a');
    await db.$disconnect();
    expect(small.rows).toBe(2);
    expect(large.rows).toBeGreaterThan(8);
    expect(large.statements).toBe(small.statements);
    expect(searched.statements).toBe(small.statements);
    expect(small.statements).toBeLessThanOrEqual(2);
  });
});
