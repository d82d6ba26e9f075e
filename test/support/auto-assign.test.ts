// autoAssignAdmin: new conversations go to the support admin with the fewest open conversations,
// ties round-robin; off, they stay unassigned until an admin replies or takes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminPrincipal } from '../../server/platform/auth/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { goOnline } from '../helpers/routing.js';
import { closeAllSockets } from '../helpers/sockets.js';

describe('auto-assignment', () => {
  let t: TestApp;
  let agents: TestAdmin[];
  let user: TestUser;
  let manager: AdminPrincipal;

  const setAutoAssign = (autoAssignAdmin: boolean) =>
    t.services.settings.updateSupport(manager, {
      maxAttachmentSizeMB: 10,
      allowedAttachmentTypes: ['image/png'],
      autoAssignAdmin,
    });
  const open = async () =>
    (await api(t.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: {} })).json.conversation;

  beforeAll(async () => {
    t = await startTestApp();
    agents = [
      await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Ana'),
      await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Ben'),
      await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT', 'SETTINGS_MANAGE'], 'Cy'),
    ];
    // Neither an admin without SUPPORT_CHAT nor a disabled support admin is ever chosen.
    await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE'], 'No support');
    const disabled = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Gone');
    await t.database.db.user.update({ where: { id: disabled.userId }, data: { isActive: false } });
    user = await createUser(t.database.db, t.services.tokens, 'customer');
    // Routing gives conversations to online agents only: each has the dashboard open.
    for (const agent of agents) await goOnline(t.baseUrl, agent);
    const m = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE']);
    manager = { kind: 'admin', userId: m.userId, adminId: m.adminId, permissions: ['SETTINGS_MANAGE'] };
  });
  afterAll(async () => {
    closeAllSockets();
    await t.close();
  });

  it('off: a new conversation stays unassigned', async () => {
    await setAutoAssign(false);
    expect((await open()).adminId).toBeNull();
  });

  it('on: round-robin across equally loaded admins, then fewest open conversations first', async () => {
    await setAutoAssign(true);
    const ids = agents.map((a) => a.adminId);
    const first = [await open(), await open(), await open()].map((c) => c.adminId);
    expect(new Set(first)).toEqual(new Set(ids));
    // Ana's conversations get resolved: she now has the fewest open ones and gets the next two.
    const anasOpen = await t.database.db.supportConversation.findMany({
      where: { adminId: agents[0]?.adminId, status: 'open' },
    });
    for (const c of anasOpen) {
      await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${c.id}/resolve`, { token: agents[0]?.token });
    }
    const next = await open();
    expect(next.adminId).toBe(agents[0]?.adminId);
    expect(next.assignee.displayName).toBe('Ana');
    const audit = await t.database.db.auditLog.findFirstOrThrow({
      where: { targetId: next.id, action: 'SUPPORT_CONVERSATION_ASSIGNED' },
    });
    expect(audit.metadata).toMatchObject({
      autoAssigned: true,
      reason: 'auto',
      adminId: agents[0]?.adminId,
      previousAdminId: null,
    });
  });

  it('on: concurrent new conversations spread evenly', async () => {
    await t.database.db.supportConversation.updateMany({ data: { status: 'resolved' } });
    const created = await Promise.all(Array.from({ length: 9 }, () => open()));
    const perAdmin = new Map<string, number>();
    for (const c of created) perAdmin.set(c.adminId, (perAdmin.get(c.adminId) ?? 0) + 1);
    expect([...perAdmin.values()]).toEqual([3, 3, 3]);
  });
});
