// Permission matrix (spec section 8): every support endpoint x every kind of caller, one
// parametrised test. A new /api/support, /api/admin/support or /api/orders route without rows here fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { makePdf, upload } from '../helpers/files.js';
import { api, createAdmin, createUser } from '../helpers/fixtures.js';
import { createOrder } from '../helpers/orders.js';

type Caller =
  | 'ownerDriver'
  | 'customer'
  | 'restaurant'
  | 'otherDriver'
  | 'supportAdmin'
  | 'adminWithoutPermission'
  | 'noToken'
  | 'expiredToken'
  | 'tamperedToken';

const CALLERS: Caller[] = [
  'ownerDriver',
  'customer',
  'restaurant',
  'otherDriver',
  'supportAdmin',
  'adminWithoutPermission',
  'noToken',
  'expiredToken',
  'tamperedToken',
];

type Expectation = Record<Caller, number>;
const anonymous = { noToken: 401, expiredToken: 401, tamperedToken: 401 };
/** Conversation-scoped: the owner and support admins; other users cannot tell it exists. */
const participants = (ok: number): Expectation => ({
  ownerDriver: ok,
  customer: 404,
  restaurant: 404,
  otherDriver: 404,
  supportAdmin: ok,
  adminWithoutPermission: 403,
  ...anonymous,
});
const usersOnly = (ok: number): Expectation => ({
  ownerDriver: ok,
  customer: ok,
  restaurant: ok,
  otherDriver: ok,
  supportAdmin: 403,
  adminWithoutPermission: 403,
  ...anonymous,
});
const supportAdminsOnly: Expectation = {
  ownerDriver: 403,
  customer: 403,
  restaurant: 403,
  otherDriver: 403,
  supportAdmin: 200,
  adminWithoutPermission: 403,
  ...anonymous,
};
/** SUPPORT_REPORTS only, which none of these callers has (test/support/reports.test.ts has the lead). */
const reportsOnly: Expectation = { ...supportAdminsOnly, supportAdmin: 403 };
/** Order-scoped: its parties (the owner driver delivers it to the customer from the restaurant). */
const orderParties: Expectation = {
  ownerDriver: 200,
  customer: 200,
  restaurant: 200,
  otherDriver: 404,
  supportAdmin: 200,
  adminWithoutPermission: 403,
  ...anonymous,
};
const usersAndSupportAdmins: Expectation = { ...usersOnly(200), supportAdmin: 200 };
const everyoneSignedIn: Expectation = { ...usersAndSupportAdmins, adminWithoutPermission: 200 };

type Ids = {
  conversationId: string;
  messageId: string;
  attachmentId: string;
  orderId: string;
  resolvedConversationId: string;
  supportAdminId: string;
  savedReplyId: string;
};
type Endpoint = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  route: string;
  expect: Expectation;
  call: (t: TestApp, token: string | undefined, ids: Ids) => Promise<number>;
};

const json =
  (method: Endpoint['method'], path: (ids: Ids) => string, body?: () => object) =>
  async (t: TestApp, token: string | undefined, ids: Ids) =>
    (await api(t.baseUrl, method, path(ids), { token, ...(body ? { body: body() } : {}) })).status;

let sequence = 0;
const ENDPOINTS: Endpoint[] = [
  {
    method: 'GET',
    route: '/api/support/conversations',
    expect: usersOnly(200),
    call: json('GET', () => '/api/support/conversations'),
  },
  {
    method: 'POST',
    route: '/api/support/conversations',
    expect: usersOnly(201),
    call: json(
      'POST',
      () => '/api/support/conversations',
      () => ({ subject: 'Matrix' }),
    ),
  },
  {
    method: 'GET',
    route: '/api/support/conversations/{conversationId}',
    expect: participants(200),
    call: json('GET', (ids) => `/api/support/conversations/${ids.conversationId}`),
  },
  {
    method: 'GET',
    route: '/api/support/conversations/{conversationId}/messages',
    expect: participants(200),
    call: json('GET', (ids) => `/api/support/conversations/${ids.conversationId}/messages`),
  },
  {
    method: 'POST',
    route: '/api/support/conversations/{conversationId}/messages',
    expect: participants(201),
    call: json(
      'POST',
      (ids) => `/api/support/conversations/${ids.conversationId}/messages`,
      () => ({ body: `matrix message ${++sequence}` }),
    ),
  },
  {
    method: 'POST',
    route: '/api/support/conversations/{conversationId}/attachments',
    expect: participants(201),
    call: async (t, token, ids) =>
      (await upload(t.baseUrl, token, ids.conversationId, { data: makePdf(), name: 'm.pdf' })).status,
  },
  {
    method: 'POST',
    route: '/api/support/messages/{messageId}/read',
    expect: participants(200),
    call: json('POST', (ids) => `/api/support/messages/${ids.messageId}/read`),
  },
  {
    method: 'GET',
    route: '/api/support/attachments/{attachmentId}/urls',
    expect: participants(200),
    call: json('GET', (ids) => `/api/support/attachments/${ids.attachmentId}/urls`),
  },
  {
    method: 'GET',
    route: '/api/support/settings',
    expect: everyoneSignedIn,
    call: json('GET', () => '/api/support/settings'),
  },
  {
    method: 'GET',
    route: '/api/support/unread',
    expect: usersAndSupportAdmins,
    call: json('GET', () => '/api/support/unread'),
  },
  {
    method: 'GET',
    route: '/api/admin/support/conversations',
    expect: supportAdminsOnly,
    call: json('GET', () => '/api/admin/support/conversations'),
  },
  {
    method: 'GET',
    route: '/api/admin/support/unread',
    expect: supportAdminsOnly,
    call: json('GET', () => '/api/admin/support/unread'),
  },
  {
    method: 'POST',
    route: '/api/admin/support/conversations/{conversationId}/assign',
    expect: supportAdminsOnly,
    call: json(
      'POST',
      (ids) => `/api/admin/support/conversations/${ids.conversationId}/assign`,
      () => ({}),
    ),
  },
  {
    method: 'POST',
    route: '/api/admin/support/conversations/{conversationId}/resolve',
    expect: supportAdminsOnly,
    call: json('POST', (ids) => `/api/admin/support/conversations/${ids.conversationId}/resolve`),
  },
  {
    method: 'POST',
    route: '/api/admin/support/conversations/{conversationId}/reopen',
    expect: supportAdminsOnly,
    call: json('POST', (ids) => `/api/admin/support/conversations/${ids.conversationId}/reopen`),
  },
  {
    method: 'PUT',
    route: '/api/admin/support/conversations/{conversationId}/status',
    expect: supportAdminsOnly,
    call: json(
      'PUT',
      (ids) => `/api/admin/support/conversations/${ids.conversationId}/status`,
      () => ({ status: 'pending' }),
    ),
  },
  {
    method: 'PUT',
    route: '/api/admin/support/conversations/{conversationId}/priority',
    expect: supportAdminsOnly,
    call: json(
      'PUT',
      (ids) => `/api/admin/support/conversations/${ids.conversationId}/priority`,
      () => ({ priority: 'high' }),
    ),
  },
  {
    method: 'GET',
    route: '/api/admin/support/conversations/{conversationId}/user',
    expect: supportAdminsOnly,
    call: json('GET', (ids) => `/api/admin/support/conversations/${ids.conversationId}/user`),
  },
  {
    method: 'GET',
    route: '/api/support/conversations/{conversationId}/rating',
    expect: { ...participants(200), supportAdmin: 403 },
    call: json('GET', (ids) => `/api/support/conversations/${ids.resolvedConversationId}/rating`),
  },
  {
    // Only the conversation's own user rates its resolution.
    method: 'PUT',
    route: '/api/support/conversations/{conversationId}/rating',
    expect: { ...participants(200), supportAdmin: 403 },
    call: json(
      'PUT',
      (ids) => `/api/support/conversations/${ids.resolvedConversationId}/rating`,
      () => ({ rating: 4 }),
    ),
  },
  {
    method: 'GET',
    route: '/api/admin/support/conversations/{conversationId}/notifications',
    expect: supportAdminsOnly,
    call: json('GET', (ids) => `/api/admin/support/conversations/${ids.conversationId}/notifications`),
  },
  {
    method: 'GET',
    route: '/api/admin/support/admins',
    expect: supportAdminsOnly,
    call: json('GET', () => '/api/admin/support/admins'),
  },
  {
    method: 'GET',
    route: '/api/orders',
    expect: usersOnly(200),
    call: json('GET', () => '/api/orders'),
  },
  {
    method: 'GET',
    route: '/api/orders/{orderId}',
    expect: orderParties,
    call: json('GET', (ids) => `/api/orders/${ids.orderId}`),
  },
  {
    method: 'PUT',
    route: '/api/support/conversations/{conversationId}/order',
    expect: participants(200),
    call: json(
      'PUT',
      (ids) => `/api/support/conversations/${ids.conversationId}/order`,
      () => ({ orderId: currentIds.orderId }),
    ),
  },
  {
    method: 'GET',
    route: '/api/admin/support/conversations/{conversationId}/orders',
    expect: supportAdminsOnly,
    call: json('GET', (ids) => `/api/admin/support/conversations/${ids.conversationId}/orders`),
  },
  {
    method: 'GET',
    route: '/api/admin/support/orders/{orderId}',
    expect: supportAdminsOnly,
    call: json('GET', (ids) => `/api/admin/support/orders/${ids.orderId}`),
  },
  {
    method: 'POST',
    route: '/api/admin/support/orders/{orderId}/conversations',
    expect: { ...supportAdminsOnly, supportAdmin: 201 },
    call: json(
      'POST',
      (ids) => `/api/admin/support/orders/${ids.orderId}/conversations`,
      () => ({ party: 'driver', message: { body: `matrix contact ${++sequence}` } }),
    ),
  },
  {
    method: 'GET',
    route: '/api/admin/support/team',
    expect: supportAdminsOnly,
    call: json('GET', () => '/api/admin/support/team'),
  },
  {
    method: 'GET',
    route: '/api/admin/support/reports',
    expect: reportsOnly,
    call: json('GET', () => '/api/admin/support/reports'),
  },
  {
    method: 'GET',
    route: '/api/admin/support/reports/conversations.csv',
    expect: reportsOnly,
    call: json('GET', () => '/api/admin/support/reports/conversations.csv'),
  },
  {
    method: 'PUT',
    route: '/api/admin/support/me/availability',
    expect: supportAdminsOnly,
    call: json(
      'PUT',
      () => '/api/admin/support/me/availability',
      () => ({ availability: 'online' }),
    ),
  },
  {
    // A lead's override: SETTINGS_MANAGE (here the admin without SUPPORT_CHAT), not SUPPORT_CHAT.
    method: 'PUT',
    route: '/api/admin/support/agents/{adminId}/capacity',
    expect: { ...supportAdminsOnly, supportAdmin: 403, adminWithoutPermission: 200 },
    call: json(
      'PUT',
      (ids) => `/api/admin/support/agents/${ids.supportAdminId}/capacity`,
      () => ({ maxOpenConversations: 7 }),
    ),
  },
  {
    // Internal notes: support agents only, never the conversation's own user.
    method: 'GET',
    route: '/api/admin/support/conversations/{conversationId}/notes',
    expect: supportAdminsOnly,
    call: json('GET', (ids) => `/api/admin/support/conversations/${ids.conversationId}/notes`),
  },
  {
    method: 'POST',
    route: '/api/admin/support/conversations/{conversationId}/notes',
    expect: { ...supportAdminsOnly, supportAdmin: 201 },
    call: json(
      'POST',
      (ids) => `/api/admin/support/conversations/${ids.conversationId}/notes`,
      () => ({ body: `matrix note ${++sequence}` }),
    ),
  },
  {
    method: 'GET',
    route: '/api/admin/support/mentions',
    expect: supportAdminsOnly,
    call: json('GET', () => '/api/admin/support/mentions'),
  },
  {
    method: 'POST',
    route: '/api/admin/support/conversations/{conversationId}/mentions/read',
    expect: supportAdminsOnly,
    call: json('POST', (ids) => `/api/admin/support/conversations/${ids.conversationId}/mentions/read`),
  },
  {
    method: 'GET',
    route: '/api/admin/support/alert-preferences',
    expect: supportAdminsOnly,
    call: json('GET', () => '/api/admin/support/alert-preferences'),
  },
  {
    method: 'PUT',
    route: '/api/admin/support/alert-preferences',
    expect: supportAdminsOnly,
    call: json(
      'PUT',
      () => '/api/admin/support/alert-preferences',
      () => ({ message: { sound: true } }),
    ),
  },
  {
    // Saved replies: agents read them, and so do leads with SETTINGS_MANAGE (the settings page).
    method: 'GET',
    route: '/api/admin/support/saved-replies',
    expect: { ...supportAdminsOnly, adminWithoutPermission: 200 },
    call: json('GET', () => '/api/admin/support/saved-replies'),
  },
  {
    // Writing them is SETTINGS_MANAGE's (here the admin without SUPPORT_CHAT), not an agent's.
    method: 'POST',
    route: '/api/admin/support/saved-replies',
    expect: { ...supportAdminsOnly, supportAdmin: 403, adminWithoutPermission: 201 },
    call: json(
      'POST',
      () => '/api/admin/support/saved-replies',
      () => ({ shortcut: `matrix-${++sequence}`, title: 'Matrix', body: 'Hi {{user.firstName}}' }),
    ),
  },
  {
    method: 'PUT',
    route: '/api/admin/support/saved-replies/{savedReplyId}',
    expect: { ...supportAdminsOnly, supportAdmin: 403, adminWithoutPermission: 200 },
    call: json(
      'PUT',
      (ids) => `/api/admin/support/saved-replies/${ids.savedReplyId}`,
      () => ({ shortcut: 'matrix-reply', title: `Matrix ${++sequence}`, body: 'Hello' }),
    ),
  },
  {
    method: 'POST',
    route: '/api/admin/support/saved-replies/{savedReplyId}/render',
    expect: supportAdminsOnly,
    call: json(
      'POST',
      (ids) => `/api/admin/support/saved-replies/${ids.savedReplyId}/render`,
      () => ({ conversationId: currentIds.conversationId }),
    ),
  },
  {
    // Last: the one permitted call deletes it.
    method: 'DELETE',
    route: '/api/admin/support/saved-replies/{savedReplyId}',
    expect: { ...supportAdminsOnly, supportAdmin: 403, adminWithoutPermission: 204 },
    call: json('DELETE', (ids) => `/api/admin/support/saved-replies/${ids.savedReplyId}`),
  },
];

/** The ids of the running matrix (request bodies refer to them too). */
let currentIds: Ids;

describe('permission matrix', () => {
  let t: TestApp;
  let ids: Ids;
  const tokens = {} as Record<Caller, string | undefined>;

  beforeAll(async () => {
    t = await startTestApp();
    const { db } = t.database;
    const owner = await createUser(db, t.services.tokens, 'driver');
    tokens.ownerDriver = owner.token;
    const customer = await createUser(db, t.services.tokens, 'customer');
    tokens.customer = customer.token;
    const restaurant = await createUser(db, t.services.tokens, 'restaurant');
    tokens.restaurant = restaurant.token;
    tokens.otherDriver = (await createUser(db, t.services.tokens, 'driver')).token;
    const supportAdmin = await createAdmin(db, t.services.tokens, ['SUPPORT_CHAT']);
    tokens.supportAdmin = supportAdmin.token;
    tokens.adminWithoutPermission = (await createAdmin(db, t.services.tokens, ['SETTINGS_MANAGE', 'AUDIT_READ'])).token;
    tokens.noToken = undefined;
    tokens.expiredToken = (await t.services.tokens.issue(owner.userId, owner.sessionId, -5)).token;
    const [header, payload, signature] = owner.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    tokens.tamperedToken = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url')}.${signature}`;

    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: owner.token,
      body: { message: { body: 'matrix' } },
    });
    const uploaded = await upload(t.baseUrl, owner.token, created.json.conversation.id, {
      data: makePdf(),
      name: 'a.pdf',
    });
    const reply = await api(t.baseUrl, 'POST', `/api/support/conversations/${created.json.conversation.id}/messages`, {
      token: tokens.supportAdmin,
      body: { body: 'reply' },
    });
    const order = await createOrder(db, {
      customerId: customer.userId,
      restaurantId: restaurant.userId,
      driverId: owner.userId,
    });
    const linked = await api(t.baseUrl, 'PUT', `/api/support/conversations/${created.json.conversation.id}/order`, {
      token: owner.token,
      body: { orderId: order.id },
    });
    expect(linked.status).toBe(200);
    const toResolve = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: owner.token,
      body: { subject: 'to rate' },
    });
    await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${toResolve.json.conversation.id}/resolve`, {
      token: tokens.supportAdmin,
    });
    const savedReply = await t.services.savedReplies.create(
      { kind: 'admin', userId: supportAdmin.userId, adminId: supportAdmin.adminId, permissions: ['SETTINGS_MANAGE'] },
      { shortcut: 'matrix-reply', title: 'Matrix', body: 'Hello' },
    );
    ids = {
      savedReplyId: savedReply.id,
      resolvedConversationId: toResolve.json.conversation.id,
      conversationId: created.json.conversation.id,
      messageId: reply.json.id,
      attachmentId: uploaded.json.attachment.id,
      orderId: order.id,
      supportAdminId: supportAdmin.adminId,
    };
    currentIds = ids;
  });
  afterAll(() => t.close());

  it('covers every registered support route', () => {
    const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const registered = Object.entries(spec.paths)
      .filter(([path]) =>
        ['/api/support', '/api/admin/support', '/api/orders'].some((prefix) => path.startsWith(prefix)),
      )
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(ENDPOINTS.map((e) => `${e.method} ${e.route}`).sort()).toEqual(registered);
  });

  const cases = ENDPOINTS.flatMap((endpoint) =>
    CALLERS.map((caller) => ({ label: `${endpoint.method} ${endpoint.route}`, caller, endpoint })),
  );

  it.each(cases)('$label as $caller', async ({ endpoint, caller }) => {
    const status = await endpoint.call(t, tokens[caller], ids);
    expect(status).toBe(endpoint.expect[caller]);
  });
});
