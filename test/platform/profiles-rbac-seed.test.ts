// Profiles (user details per userType), the RBAC helpers and the idempotent demo seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminPrincipal, UserPrincipal } from '../../server/platform/auth/principal.js';
import { hasPermission, requirePermission, requireUser } from '../../server/platform/rbac/rbac.js';
import { DEMO_DRIVERS, DEMO_RESTAURANTS, seedDemoConversations, seedDemoData } from '../../server/seed/demo-seed.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api } from '../helpers/fixtures.js';

describe('rbac helpers', () => {
  const agent: AdminPrincipal = { kind: 'admin', userId: 'u', adminId: 'a', permissions: ['SUPPORT_CHAT'] };
  const driver: UserPrincipal = { kind: 'user', userId: 'u2', userType: 'driver' };

  it('grants exactly the permissions of the role', () => {
    expect(hasPermission(agent, 'SUPPORT_CHAT')).toBe(true);
    expect(hasPermission(agent, 'SETTINGS_MANAGE')).toBe(false);
    expect(hasPermission(driver, 'SUPPORT_CHAT')).toBe(false);
    expect(requirePermission(agent, 'SUPPORT_CHAT')).toBe(agent);
    expect(() => requirePermission(agent, 'SETTINGS_MANAGE')).toThrow(
      expect.objectContaining({ status: 403, code: 'FORBIDDEN' }),
    );
    expect(() => requirePermission(driver, 'SUPPORT_CHAT')).toThrow(expect.objectContaining({ status: 403 }));
    expect(requireUser(driver)).toBe(driver);
    expect(() => requireUser(agent)).toThrow(expect.objectContaining({ status: 403 }));
  });
});

describe('demo seed and profiles', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates the demo accounts once and changes nothing when run again', async () => {
    expect((await seedDemoData(t.database.db)).created).toBe(13);
    const counts = async () => ({
      users: await t.database.db.user.count(),
      admins: await t.database.db.adminProfile.count(),
      drivers: await t.database.db.driverProfile.count(),
      customers: await t.database.db.customerProfile.count(),
      restaurants: await t.database.db.restaurantProfile.count(),
      roles: await t.database.db.adminRole.count(),
    });
    const first = await counts();
    expect(first).toEqual({ users: 13, admins: 4, drivers: 3, customers: 3, restaurants: 3, roles: 4 });
    expect(await Promise.all([seedDemoData(t.database.db), seedDemoData(t.database.db)])).toBeDefined();
    expect(await counts()).toEqual(first);
  });

  it('creates demo conversations through the support service, once', async () => {
    expect(await seedDemoConversations(t.database.db, t.services)).toBe(4);
    expect(await seedDemoConversations(t.database.db, t.services)).toBe(0);
    const conversations = await t.database.db.supportConversation.findMany({ include: { messages: true } });
    expect(conversations).toHaveLength(4);
    expect(conversations.filter((c) => c.status === 'resolved')).toHaveLength(1);
    const missingItem = conversations.find((c) => c.subject === 'Missing item');
    expect(missingItem).toMatchObject({ unreadForAdmin: 2, unreadForUser: 0, adminId: null });
    const payout = conversations.find((c) => c.subject === 'Weekly payout missing');
    expect(payout).toMatchObject({ unreadForAdmin: 0, unreadForUser: 1 });
    expect(payout?.adminId).not.toBeNull();
  });

  it('demo accounts can sign in, each with the expected permissions', async () => {
    const login = async (email: string) =>
      (await api(t.baseUrl, 'POST', '/api/auth/login', { body: { email, password: 'demo1234' } })).json.me;
    expect((await login('support@demo.test')).permissions).toEqual(['SUPPORT_CHAT']);
    expect((await login('settings@demo.test')).permissions).toEqual(['SETTINGS_MANAGE']);
    expect((await login('viewer@demo.test')).permissions).toEqual([]);
    expect(await login('restaurant@demo.test')).toMatchObject({
      kind: 'user',
      userType: 'restaurant',
      displayName: 'Bella Napoli',
    });
  });

  it('returns the details of a user from the profile of their type', async () => {
    const driver = await t.database.db.user.findUniqueOrThrow({ where: { email: DEMO_DRIVERS[0]?.email ?? '' } });
    const details = await t.services.profiles.getUserDetails(driver.id, 'driver');
    expect(details).toMatchObject({
      userId: driver.id,
      userType: 'driver',
      displayName: 'Alex Morgan',
      phone: '+44 7700 900101',
      city: 'London',
      email: 'driver@demo.test',
      isActive: true,
    });
    expect(details.fields).toEqual([
      { label: 'Vehicle', value: 'Scooter' },
      { label: 'Licence plate', value: 'LK21 XRT' },
      { label: 'Rating', value: '4.86 / 5' },
      { label: 'Completed deliveries', value: '1243' },
    ]);
    const restaurant = await t.database.db.user.findUniqueOrThrow({
      where: { email: DEMO_RESTAURANTS[0]?.email ?? '' },
    });
    expect((await t.services.profiles.getUserDetails(restaurant.id, 'restaurant')).fields).toContainEqual({
      label: 'Contact',
      value: 'Giulia Rossi',
    });
    // Asking with the wrong type finds nothing rather than another table's row.
    await expect(t.services.profiles.getUserDetails(driver.id, 'customer')).rejects.toMatchObject({ status: 404 });
  });

  it('summarises many users in one call', async () => {
    const users = await t.database.db.user.findMany({ where: { role: { not: 'admin' } } });
    const summaries = await t.services.profiles.getUserSummaries(
      users.map((u) => ({ userId: u.id, userType: 'driver' })),
    );
    expect(summaries.size).toBe(9);
    expect([...summaries.values()].map((s) => s.displayName)).toContain('Tokyo Ramen House');
  });
});
