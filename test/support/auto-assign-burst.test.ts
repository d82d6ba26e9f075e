// A burst of new conversations: 200 users open one each at the same moment. With auto-assignment
// on or off every creation succeeds (no 500 because transactions waited for a pool connection),
// and with it on they spread evenly over the support admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminPrincipal } from '../../server/platform/auth/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { goOnline } from '../helpers/routing.js';
import { closeAllSockets } from '../helpers/sockets.js';

const BURST = 200;

describe('a burst of new conversations', () => {
  let t: TestApp;
  let agents: TestAdmin[];
  let users: TestUser[];
  let manager: AdminPrincipal;

  const setAutoAssign = (autoAssignAdmin: boolean) =>
    t.services.settings.updateSupport(manager, {
      maxAttachmentSizeMB: 10,
      allowedAttachmentTypes: ['image/png'],
      autoAssignAdmin,
      maxOpenConversationsPerAgent: 100,
    });
  const burst = () =>
    Promise.all(
      users.map((user, index) =>
        api(t.baseUrl, 'POST', '/api/support/conversations', {
          token: user.token,
          body: { subject: `Burst ${index}`, message: { body: 'Where is my order?' } },
        }),
      ),
    );

  beforeAll(async () => {
    t = await startTestApp();
    agents = await Promise.all(
      ['Ana', 'Ben', 'Cy', 'Dee'].map((name) => createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], name)),
    );
    // Routing gives conversations to online agents only: each has the dashboard open.
    for (const agent of agents) await goOnline(t.baseUrl, agent);
    const m = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE']);
    manager = { kind: 'admin', userId: m.userId, adminId: m.adminId, permissions: ['SETTINGS_MANAGE'] };
    users = [];
    for (let index = 0; index < BURST; index += 10) {
      users.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () => createUser(t.database.db, t.services.tokens, 'customer')),
        )),
      );
    }
  }, 60_000);
  afterAll(async () => {
    closeAllSockets();
    await t.close();
  });

  it('auto-assign on: all 201, spread evenly, the response names the assignee', async () => {
    await setAutoAssign(true);
    const answers = await burst();
    expect(answers.map((answer) => answer.status).filter((status) => status !== 201)).toEqual([]);
    const perAdmin = new Map<string, number>();
    for (const { json } of answers) {
      expect(json.conversation.assignee).toMatchObject({ adminId: json.conversation.adminId });
      perAdmin.set(json.conversation.adminId, (perAdmin.get(json.conversation.adminId) ?? 0) + 1);
    }
    expect(new Set(perAdmin.keys())).toEqual(new Set(agents.map((agent) => agent.adminId)));
    expect([...perAdmin.values()]).toEqual([50, 50, 50, 50]);
    const stored = await t.database.db.supportConversation.groupBy({ by: ['adminId'], _count: true });
    expect(stored.map((row) => row._count).sort()).toEqual([50, 50, 50, 50]);
  }, 60_000);

  it('auto-assign off: all 201, unassigned', async () => {
    await setAutoAssign(false);
    const answers = await burst();
    expect(answers.map((answer) => answer.status).filter((status) => status !== 201)).toEqual([]);
    expect(answers.every(({ json }) => json.conversation.adminId === null)).toBe(true);
  }, 60_000);
});
