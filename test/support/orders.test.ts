// Orders in support: who may read an order (HTTP and what sockets receive), linking an order to
// a conversation, the order case, and support starting a conversation with a party of an order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerEvent } from '../../common/realtime.js';
import type { ConversationDto } from '../../common/support.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { createOrder } from '../helpers/orders.js';
import { connectSupport, nextEvent, recordEvents, sleep } from '../helpers/sockets.js';

describe('orders in support', () => {
  let t: TestApp;
  let agent: TestAdmin;
  let adminWithout: TestAdmin;
  let customer: TestUser;
  let otherCustomer: TestUser;
  let restaurant: TestUser;
  let driver: TestUser;
  let otherDriver: TestUser;
  let order: { id: string; number: number };
  let otherOrder: { id: string; number: number };

  const get = (path: string, token?: string) => api(t.baseUrl, 'GET', path, { token });
  const openConversation = (user: TestUser, body: object) =>
    api(t.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body });

  beforeAll(async () => {
    // Low creation limits: they apply to users opening conversations, never to support.
    t = await startTestApp({ OPEN_CONVERSATIONS_PER_USER: '2', CONVERSATIONS_PER_HOUR: '3' });
    const { db } = t.database;
    const tokens = t.services.tokens;
    agent = await createAdmin(db, tokens, ['SUPPORT_CHAT']);
    adminWithout = await createAdmin(db, tokens, ['SETTINGS_MANAGE']);
    customer = await createUser(db, tokens, 'customer', { fullName: 'Emma Wilson', phone: '+44 7700 111111' });
    otherCustomer = await createUser(db, tokens, 'customer');
    restaurant = await createUser(db, tokens, 'restaurant', { fullName: 'Bella Napoli' });
    driver = await createUser(db, tokens, 'driver', { fullName: 'Alex Morgan', phone: '+44 7700 222222' });
    otherDriver = await createUser(db, tokens, 'driver');
    await createOrder(
      db,
      { customerId: customer.userId, restaurantId: restaurant.userId, driverId: otherDriver.userId },
      { status: 'delivered', placedMinutesAgo: 3000 },
    );
    order = await createOrder(
      db,
      { customerId: customer.userId, restaurantId: restaurant.userId, driverId: driver.userId },
      { status: 'picked_up', placedMinutesAgo: 50, etaMinutesAgo: 12 },
    );
    otherOrder = await createOrder(db, {
      customerId: otherCustomer.userId,
      restaurantId: restaurant.userId,
      driverId: otherDriver.userId,
    });
  });
  afterAll(() => t.close());

  it("each party lists its own orders, the one in progress first, with the others' first names only", async () => {
    const mine = await get('/api/orders', customer.token);
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((o: { id: string }) => o.id)[0]).toBe(order.id);
    expect(mine.json.items).toHaveLength(2);
    const current = mine.json.items[0];
    expect(current).toMatchObject({
      number: order.number,
      status: 'picked_up',
      restaurantName: 'Bella Napoli',
      driverFirstName: 'Alex',
      inProgress: true,
      totalCents: 2750,
    });
    expect(current.minutesLate).toBeGreaterThanOrEqual(11);
    expect(current.timeline.map((step: { status: string }) => step.status)).toEqual(['placed', 'accepted']);
    const text = JSON.stringify(mine.json);
    expect(text).not.toContain('+44 7700 222222');
    expect(text).not.toContain('Morgan');
    expect(text).not.toContain(driver.userId);

    const deliveries = await get('/api/orders', driver.token);
    expect(deliveries.json.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
    expect(JSON.stringify(deliveries.json)).not.toContain('+44 7700 111111');
    const received = await get('/api/orders', restaurant.token);
    expect(received.json.items).toHaveLength(3);
    expect((await get('/api/orders', agent.token)).status).toBe(403);
  });

  it("another customer's, driver's or restaurant's order id is 404, like an unknown id", async () => {
    expect((await get(`/api/orders/${order.id}`, customer.token)).status).toBe(200);
    expect((await get(`/api/orders/${order.id}`, driver.token)).status).toBe(200);
    expect((await get(`/api/orders/${order.id}`, restaurant.token)).status).toBe(200);
    expect((await get(`/api/orders/${otherOrder.id}`, customer.token)).status).toBe(404);
    expect((await get(`/api/orders/${order.id}`, otherDriver.token)).status).toBe(404);
    expect((await get(`/api/orders/${order.id}`, otherCustomer.token)).status).toBe(404);
    const restaurantAsCustomerId = await createUser(t.database.db, t.services.tokens, 'restaurant');
    expect((await get(`/api/orders/${order.id}`, restaurantAsCustomerId.token)).status).toBe(404);
    expect((await get('/api/orders/00000000-0000-4000-8000-000000000000', customer.token)).status).toBe(404);
  });

  it('a user opens a conversation about their order; not about an order of someone else', async () => {
    const before = await t.database.db.supportConversation.count();
    const foreign = await openConversation(customer, { orderId: otherOrder.id, message: { body: 'Where is it?' } });
    expect(foreign.status).toBe(404);
    const notMine = await openConversation(otherDriver, { orderId: order.id });
    expect(notMine.status).toBe(404);
    expect(await t.database.db.supportConversation.count()).toBe(before);

    const created = await openConversation(customer, { orderId: order.id, message: { body: 'Where is my food?' } });
    expect(created.status).toBe(201);
    expect(created.json.conversation.order).toMatchObject({
      id: order.id,
      number: order.number,
      status: 'picked_up',
      restaurantName: 'Bella Napoli',
    });
    const audit = await t.database.db.auditLog.findFirst({
      where: { action: 'SUPPORT_CONVERSATION_CREATED', targetId: created.json.conversation.id },
    });
    expect(audit?.metadata).toMatchObject({ orderId: order.id });
  });

  it('support reads an order only once it is linked to a conversation; the case shows every party', async () => {
    const unlinked = await createOrder(t.database.db, {
      customerId: otherCustomer.userId,
      restaurantId: restaurant.userId,
    });
    expect((await get(`/api/orders/${unlinked.id}`, agent.token)).status).toBe(404);
    expect((await get(`/api/admin/support/orders/${unlinked.id}`, agent.token)).status).toBe(404);
    expect((await get(`/api/admin/support/orders/${order.id}`, adminWithout.token)).status).toBe(403);
    expect((await get(`/api/admin/support/orders/${order.id}`, customer.token)).status).toBe(403);

    const orderCase = await get(`/api/admin/support/orders/${order.id}`, agent.token);
    expect(orderCase.status).toBe(200);
    expect(orderCase.json.parties.customer).toMatchObject({ userId: customer.userId, phone: '+44 7700 111111' });
    expect(orderCase.json.parties.driver).toMatchObject({ userId: driver.userId, displayName: 'Alex Morgan' });
    expect(orderCase.json.parties.restaurant.userId).toBe(restaurant.userId);
    expect(orderCase.json.order.items).toHaveLength(2);
    expect(orderCase.json.conversations.length).toBeGreaterThanOrEqual(1);
    expect((await get(`/api/orders/${order.id}`, agent.token)).status).toBe(200);
  });

  it('links, changes and removes the order of a conversation, live and audited', async () => {
    const user = await createUser(t.database.db, t.services.tokens, 'customer');
    const own = await createOrder(t.database.db, { customerId: user.userId, restaurantId: restaurant.userId });
    const second = await createOrder(t.database.db, { customerId: user.userId, restaurantId: restaurant.userId });
    const { json } = await openConversation(user, { subject: 'Late' });
    const conversationId = json.conversation.id as string;
    const userSocket = await connectSupport(t.baseUrl, user.token);
    const outsider = await connectSupport(t.baseUrl, otherCustomer.token);
    const outsiderEvents = recordEvents(outsider);
    const link = (token: string, orderId: string | null) =>
      api(t.baseUrl, 'PUT', `/api/support/conversations/${conversationId}/order`, { token, body: { orderId } });

    expect((await link(user.token, otherOrder.id)).status).toBe(404);
    expect((await link(otherCustomer.token, own.id)).status).toBe(404);
    expect((await link(adminWithout.token, own.id)).status).toBe(403);
    // Support links only orders of the conversation's user.
    expect((await link(agent.token, otherOrder.id)).status).toBe(404);

    const updated = nextEvent(
      userSocket,
      ServerEvent.CONVERSATION_UPDATED,
      (p) => p.conversation.id === conversationId,
    );
    const linked = await link(user.token, own.id);
    expect(linked.status).toBe(200);
    expect(linked.json.order.id).toBe(own.id);
    expect((await updated).conversation.order?.number).toBe(own.number);

    const candidates = await get(
      `/api/admin/support/conversations/${conversationId}/orders?number=${String(second.number).slice(0, 4)}`,
      agent.token,
    );
    expect(candidates.json.items.map((o: { id: string }) => o.id)).toContain(second.id);
    expect((await link(agent.token, second.id)).json.order.id).toBe(second.id);
    expect((await link(agent.token, null)).json.order).toBeNull();

    const audits = await t.database.db.auditLog.findMany({
      where: { action: 'SUPPORT_CONVERSATION_ORDER_LINKED', targetId: conversationId },
      orderBy: { createdAt: 'asc' },
    });
    expect(audits.map((a) => a.metadata)).toEqual([
      { conversationId, orderId: own.id, previousOrderId: null },
      { conversationId, orderId: second.id, previousOrderId: own.id },
      { conversationId, orderId: null, previousOrderId: second.id },
    ]);
    await sleep(200);
    expect(outsiderEvents.events).toEqual([]);
  });

  it('support contacts the driver of the order: a new linked conversation, live on the driver only', async () => {
    // The driver is at the per-account open cap: support contacting them is not limited by it.
    for (let i = 0; i < 2; i++) expect((await openConversation(driver, { subject: `Own ${i}` })).status).toBe(201);
    expect((await openConversation(driver, { subject: 'One too many' })).status).toBe(429);

    const driverSocket = await connectSupport(t.baseUrl, driver.token);
    const outsider = await connectSupport(t.baseUrl, otherDriver.token);
    const outsiderEvents = recordEvents(outsider);
    const created = nextEvent(
      driverSocket,
      ServerEvent.CONVERSATION_CREATED,
      (p) => p.conversation.order?.id === order.id,
    );
    const message = nextEvent(driverSocket, ServerEvent.MESSAGE_CREATED, (p) => p.message.senderType === 'admin');

    const response = await api(t.baseUrl, 'POST', `/api/admin/support/orders/${order.id}/conversations`, {
      token: agent.token,
      body: { party: 'driver', message: { body: 'Hi Alex, the customer is asking about this order.' } },
    });
    expect(response.status).toBe(201);
    const conversation = response.json.conversation as ConversationDto;
    expect(conversation).toMatchObject({
      userId: driver.userId,
      userType: 'driver',
      adminId: agent.adminId,
      subject: `Order #${order.number}`,
      order: { id: order.id },
    });
    expect(response.json.message).toMatchObject({ senderType: 'admin', senderAdminId: agent.adminId, seq: 1 });
    expect((await created).conversation.id).toBe(conversation.id);
    expect((await message).message.body).toBe('Hi Alex, the customer is asking about this order.');
    // The driver can read and answer it (they joined its room live).
    const reply = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversation.id}/messages`, {
      token: driver.token,
      body: { body: 'On my way, two minutes.' },
    });
    expect(reply.status).toBe(201);

    const audit = await t.database.db.auditLog.findFirst({
      where: { action: 'SUPPORT_CONVERSATION_CREATED', targetId: conversation.id },
    });
    expect(audit).toMatchObject({ actorType: 'admin', actorId: agent.userId });
    expect(audit?.metadata).toMatchObject({ orderId: order.id, userId: driver.userId, startedBySupport: true });

    // The inbox shows the order's conversations together (customer's and driver's).
    const inbox = await get(`/api/admin/support/conversations?orderNumber=${order.number}`, agent.token);
    expect(new Set(inbox.json.items.map((c: ConversationDto) => c.userType))).toEqual(new Set(['customer', 'driver']));
    expect(inbox.json.items.every((c: ConversationDto) => c.order?.id === order.id)).toBe(true);

    await sleep(200);
    expect(outsiderEvents.events).toEqual([]);
  });

  it('contacting a party: only support, only an order in a case, only a party that exists', async () => {
    const contact = (token: string, orderId: string, party: string) =>
      api(t.baseUrl, 'POST', `/api/admin/support/orders/${orderId}/conversations`, {
        token,
        body: { party, message: { body: 'Hello' } },
      });
    expect((await contact(customer.token, order.id, 'driver')).status).toBe(403);
    expect((await contact(adminWithout.token, order.id, 'driver')).status).toBe(403);
    expect((await contact(agent.token, otherOrder.id, 'driver')).status).toBe(404);
    expect((await contact(agent.token, order.id, 'courier')).status).toBe(400);

    const user = await createUser(t.database.db, t.services.tokens, 'customer');
    const undispatched = await createOrder(t.database.db, { customerId: user.userId, restaurantId: restaurant.userId });
    await openConversation(user, { orderId: undispatched.id });
    const before = await t.database.db.supportConversation.count();
    const noDriver = await contact(agent.token, undispatched.id, 'driver');
    expect(noDriver.status).toBe(409);
    expect(await t.database.db.supportConversation.count()).toBe(before);
    expect((await contact(agent.token, undispatched.id, 'restaurant')).status).toBe(201);
  });
});
