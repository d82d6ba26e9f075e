// Saved replies: leads manage them (SETTINGS_MANAGE), agents list and render them (SUPPORT_CHAT).
// CRUD with validation, case-insensitive shortcuts (409), unknown variables (400), audit records
// without the text, and rendering for a conversation: variables from its user, its order and the
// agent; fallbacks when a value is missing; 404 for a conversation the agent may not see.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SavedReplyDto, SavedReplyInput, unknownVariables } from '../../common/saved-replies.js';
import { DEMO_SAVED_REPLIES } from '../../server/seed/demo-seed.js';
import { fillVariables } from '../../server/support/saved-replies/saved-replies.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { createOrder } from '../helpers/orders.js';

const BODY = 'Hi {{user.firstName}}, {{ agent.firstName }} here: your order {{order.number}} is on its way.';

describe('saved replies', () => {
  let t: TestApp;
  let lead: TestAdmin;
  let agent: TestAdmin;
  let settingsOnly: TestAdmin;
  let noPermission: TestAdmin;
  let customer: TestUser;
  let restaurant: TestUser;
  let orderConversationId: string;
  let plainConversationId: string;
  let orderNumber: number;

  const path = '/api/admin/support/saved-replies';
  const create = (body: object, token = lead.token) => api(t.baseUrl, 'POST', path, { token, body });
  const render = (id: string, conversationId: string, token = agent.token) =>
    api(t.baseUrl, 'POST', `${path}/${id}/render`, { token, body: { conversationId } });

  beforeAll(async () => {
    t = await startTestApp();
    const { db, tokens } = { db: t.database.db, tokens: t.services.tokens };
    lead = await createAdmin(db, tokens, ['SUPPORT_CHAT', 'SETTINGS_MANAGE'], 'Marcus Lee');
    agent = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Sofia Reyes');
    settingsOnly = await createAdmin(db, tokens, ['SETTINGS_MANAGE'], 'Lena Settings');
    noPermission = await createAdmin(db, tokens, ['AUDIT_READ'], 'Vic Viewer');
    customer = await createUser(db, tokens, 'customer', { fullName: 'Emma Wilson' });
    restaurant = await createUser(db, tokens, 'restaurant', { fullName: 'Bella Napoli' });
    const order = await createOrder(db, { customerId: customer.userId, restaurantId: restaurant.userId });
    orderNumber = order.number;
    const withOrder = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: customer.token,
      body: { message: { body: 'Where is my food?' }, orderId: order.id },
    });
    expect(withOrder.status).toBe(201);
    orderConversationId = withOrder.json.conversation.id;
    const plain = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: restaurant.token,
      body: { message: { body: 'Tablet offline' } },
    });
    plainConversationId = plain.json.conversation.id;
  });
  afterAll(() => t.close());

  it('a lead creates, lists, searches, updates and deletes; every change is audited without the text', async () => {
    const created = await create({ shortcut: '  Refund-Late ', title: 'Late order refund', body: BODY });
    expect(created.status).toBe(201);
    const reply = created.json as SavedReplyDto;
    expect(reply).toMatchObject({ shortcut: 'refund-late', title: 'Late order refund', body: BODY });
    expect(reply.createdByName).toBe('Marcus Lee');
    await create({ shortcut: 'greeting', title: 'Hello', body: 'Hello {{user.name}}!' });

    // Agents and settings managers read the list; ordered by shortcut; search by shortcut or title.
    for (const token of [agent.token, settingsOnly.token]) {
      const list = await api(t.baseUrl, 'GET', path, { token });
      expect(list.status).toBe(200);
      expect(list.json.items.map((item: SavedReplyDto) => item.shortcut)).toEqual(['greeting', 'refund-late']);
    }
    const byTitle = await api(t.baseUrl, 'GET', `${path}?search=REFUND`, { token: agent.token });
    expect(byTitle.json.items.map((item: SavedReplyDto) => item.id)).toEqual([reply.id]);
    const byShortcut = await api(t.baseUrl, 'GET', `${path}?search=greet`, { token: agent.token });
    expect(byShortcut.json.items).toHaveLength(1);

    const updated = await api(t.baseUrl, 'PUT', `${path}/${reply.id}`, {
      token: settingsOnly.token,
      body: { shortcut: 'refund-late', title: 'Refund for a late order', body: BODY },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.title).toBe('Refund for a late order');

    const deleted = await api(t.baseUrl, 'DELETE', `${path}/${reply.id}`, { token: lead.token });
    expect(deleted.status).toBe(204);
    expect((await api(t.baseUrl, 'DELETE', `${path}/${reply.id}`, { token: lead.token })).status).toBe(404);
    expect(
      (
        await api(t.baseUrl, 'PUT', `${path}/${reply.id}`, {
          token: lead.token,
          body: { shortcut: 'x1', title: 'x', body: 'x' },
        })
      ).status,
    ).toBe(404);

    const records = await t.database.db.auditLog.findMany({
      where: { targetType: 'SupportSavedReply', targetId: reply.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(records.map((record) => record.action)).toEqual([
      'SAVED_REPLY_CREATED',
      'SAVED_REPLY_UPDATED',
      'SAVED_REPLY_DELETED',
    ]);
    expect(records[0]?.metadata).toEqual({ savedReplyId: reply.id, shortcut: 'refund-late', bodyLength: BODY.length });
    expect(records[1]?.metadata).toMatchObject({ changedKeys: ['title'] });
    expect(JSON.stringify(records)).not.toContain('on its way');
    expect(JSON.stringify(records)).not.toContain('Late order');
  });

  it('refuses duplicates whatever the case (409), unknown variables and bad fields (400)', async () => {
    const first = await create({ shortcut: 'tablet-reset', title: 'Reset the tablet', body: 'Please restart it.' });
    expect(first.status).toBe(201);
    const duplicate = await create({ shortcut: 'TABLET-RESET', title: 'Again', body: 'Again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.error.code).toBe('SAVED_REPLY_SHORTCUT_TAKEN');
    expect(duplicate.json.error.details.fieldErrors.shortcut).toBeDefined();
    // Renaming another reply onto a taken shortcut: 409 as well.
    const other = await create({ shortcut: 'tablet-other', title: 'Other', body: 'Other' });
    const renamed = await api(t.baseUrl, 'PUT', `${path}/${other.json.id}`, {
      token: lead.token,
      body: { shortcut: 'Tablet-Reset', title: 'Other', body: 'Other' },
    });
    expect(renamed.status).toBe(409);

    const unknown = await create({ shortcut: 'bad-var', title: 'Bad', body: 'Hi {{user.email}} and {{ foo }}' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('SAVED_REPLY_UNKNOWN_VARIABLE');
    expect(unknown.json.error.details.variables).toEqual(['user.email', 'foo']);

    for (const body of [
      { shortcut: 'has space', title: 'x', body: 'x' },
      { shortcut: 'a', title: 'x', body: 'x' },
      { shortcut: '-lead', title: 'x', body: 'x' },
      { shortcut: 'x'.repeat(33), title: 'x', body: 'x' },
      { shortcut: 'ok-one', title: '', body: 'x' },
      { shortcut: 'ok-one', title: 'x'.repeat(81), body: 'x' },
      { shortcut: 'ok-one', title: 'x', body: '   ' },
      { shortcut: 'ok-one', title: 'x', body: 'x'.repeat(2001) },
      { shortcut: 'ok-one', title: 'x' },
    ]) {
      const refused = await create(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json.error.code).toBe('VALIDATION_FAILED');
    }
    const invalidId = await api(t.baseUrl, 'DELETE', `${path}/not-a-uuid`, { token: lead.token });
    expect(invalidId.status).toBe(400);
    const none = await api(t.baseUrl, 'GET', `${path}?search=ok-one`, { token: lead.token });
    expect(none.json.items).toEqual([]);
  });

  it('only leads write; agents read and render; others get 403 and anonymous 401', async () => {
    const reply = await create({ shortcut: 'perm-check', title: 'Perm', body: 'Hi {{user.firstName}}' });
    const id = reply.json.id as string;
    const input = { shortcut: 'perm-check', title: 'Changed', body: 'Changed' };
    for (const token of [agent.token, noPermission.token]) {
      expect(
        (await create({ shortcut: `denied-${randomUUID().slice(0, 8)}`, title: 't', body: 'b' }, token)).status,
      ).toBe(403);
      expect((await api(t.baseUrl, 'PUT', `${path}/${id}`, { token, body: input })).status).toBe(403);
      expect((await api(t.baseUrl, 'DELETE', `${path}/${id}`, { token })).status).toBe(403);
    }
    expect((await api(t.baseUrl, 'GET', path, { token: noPermission.token })).status).toBe(403);
    expect((await render(id, plainConversationId, noPermission.token)).status).toBe(403);
    // Rendering fills in the agent's own name: a lead without SUPPORT_CHAT is not an agent.
    expect((await render(id, plainConversationId, settingsOnly.token)).status).toBe(403);
    // The conversation's own user is no admin at all.
    expect((await render(id, plainConversationId, restaurant.token)).status).toBe(403);
    for (const [method, url, body] of [
      ['GET', path, undefined],
      ['POST', path, input],
      ['PUT', `${path}/${id}`, input],
      ['DELETE', `${path}/${id}`, undefined],
      ['POST', `${path}/${id}/render`, { conversationId: plainConversationId }],
    ] as const) {
      expect((await api(t.baseUrl, method, url, { body })).status, `${method} ${url}`).toBe(401);
    }
    const unchanged = await api(t.baseUrl, 'GET', `${path}?search=perm-check`, { token: agent.token });
    expect(unchanged.json.items[0].title).toBe('Perm');
  });

  it('renders for a conversation: its user, its order and the agent; fallbacks when missing', async () => {
    const reply = await create({ shortcut: 'on-its-way', title: 'On its way', body: BODY });
    const id = reply.json.id as string;

    const withOrder = await render(id, orderConversationId);
    expect(withOrder.status).toBe(200);
    expect(withOrder.json).toEqual({
      text: `Hi Emma, Sofia here: your order #${orderNumber} is on its way.`,
      missing: [],
    });
    // No order linked: the number goes with its space; a restaurant's name is not split.
    const plain = await render(id, plainConversationId, lead.token);
    expect(plain.json).toEqual({
      text: 'Hi Bella Napoli, Marcus here: your order is on its way.',
      missing: ['order.number'],
    });

    const full = await create({ shortcut: 'full-names', title: 'Full', body: '{{user.name}} / {{agent.name}}' });
    expect((await render(full.json.id, orderConversationId)).json.text).toBe('Emma Wilson / Sofia Reyes');

    // A conversation that does not exist (or that the agent may not see) and an unknown reply: 404.
    const missingConversation = await render(id, randomUUID());
    expect(missingConversation.status).toBe(404);
    expect(missingConversation.json.error.code).toBe('NOT_FOUND');
    expect((await render(randomUUID(), orderConversationId)).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', `${path}/${id}/render`, { token: agent.token, body: {} })).status).toBe(400);
  });

  it('seeds demo replies that pass the same checks', () => {
    for (const demo of DEMO_SAVED_REPLIES) {
      expect(SavedReplyInput.parse(demo)).toEqual(demo);
      expect(unknownVariables(demo.body)).toEqual([]);
    }
  });

  it('falls back to "there" for a user without a name', () => {
    expect(fillVariables('Hi {{user.firstName}}, this is {{agent.firstName}}. {{order.number}}', {})).toEqual({
      text: 'Hi there, this is Support.',
      missing: ['user.firstName', 'agent.firstName', 'order.number'],
    });
  });
});
