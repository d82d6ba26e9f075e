// Assignment is a compare-and-set: of many admins taking one conversation at once exactly one
// wins; the others get 409 ALREADY_ASSIGNED naming the winner, and only the real change is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';

describe('concurrent assignment', () => {
  let t: TestApp;
  let admins: TestAdmin[];
  let customer: TestUser;

  const open = async () =>
    (await api(t.baseUrl, 'POST', '/api/support/conversations', { token: customer.token, body: {} })).json.conversation
      .id as string;
  const assign = (admin: TestAdmin, conversationId: string, body: object = {}) =>
    api(t.baseUrl, 'POST', `/api/admin/support/conversations/${conversationId}/assign`, { token: admin.token, body });
  const assignmentAudits = (conversationId: string) =>
    t.database.db.auditLog.findMany({
      where: { targetId: conversationId, action: 'SUPPORT_CONVERSATION_ASSIGNED' },
      orderBy: { createdAt: 'asc' },
    });

  beforeAll(async () => {
    t = await startTestApp();
    admins = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], `Racer ${String(index).padStart(2, '0')}`),
      ),
    );
    customer = await createUser(t.database.db, t.services.tokens, 'customer');
  }, 60_000);
  afterAll(() => t.close());

  it('50 admins take one conversation at once: one 200, 49 × 409 naming the winner, one audit row', async () => {
    const conversationId = await open();
    const answers = await Promise.all(admins.map((admin) => assign(admin, conversationId)));

    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.json;
    const winningAdmin = admins.find((admin) => admin.adminId === winner.adminId);
    expect(winningAdmin).toBeDefined();

    const losers = answers.filter((answer) => answer.status !== 200);
    expect(losers).toHaveLength(49);
    for (const loser of losers) {
      expect(loser.status).toBe(409);
      expect(loser.json.error).toMatchObject({
        code: 'ALREADY_ASSIGNED',
        details: { assignee: { adminId: winner.adminId, displayName: winner.assignee.displayName } },
      });
    }

    const stored = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(stored.adminId).toBe(winner.adminId);
    const audits = await assignmentAudits(conversationId);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.metadata).toMatchObject({ adminId: winner.adminId, previousAdminId: null });
    expect(audits[0]?.actorId).toBe(winningAdmin?.userId);
  });

  it("taking one's own conversation again is a 200 that changes and audits nothing", async () => {
    const conversationId = await open();
    const [first, second] = [admins[0] as TestAdmin, admins[1] as TestAdmin];
    expect((await assign(first, conversationId)).status).toBe(200);
    const again = await assign(first, conversationId);
    expect(again.status).toBe(200);
    expect(again.json.adminId).toBe(first.adminId);
    const taken = await assign(second, conversationId);
    expect(taken.status).toBe(409);
    expect(taken.json.error.details.assignee).toEqual({ adminId: first.adminId, displayName: 'Racer 00' });
    expect(await assignmentAudits(conversationId)).toHaveLength(1);
  });

  it('explicit reassignments at once each record the true previous assignee', async () => {
    const conversationId = await open();
    const [lead, ...others] = admins.slice(0, 11) as TestAdmin[];
    expect((await assign(lead as TestAdmin, conversationId)).status).toBe(200);
    const answers = await Promise.all(
      // The targets have no dashboard open (offline): explicit reassignment to them needs force.
      others.map((target) => assign(lead as TestAdmin, conversationId, { adminId: target.adminId, force: true })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);

    // The audit rows form one unbroken chain from the lead to the final assignee: every
    // previousAdminId is the assignee the row really replaced (no two rows replaced the same one).
    const audits = (await assignmentAudits(conversationId)).map((row) => row.metadata as Record<string, string>);
    expect(audits).toHaveLength(11);
    const next = new Map(audits.map((row) => [row.previousAdminId ?? 'none', row.adminId]));
    expect(next.size).toBe(11);
    const chain: string[] = [];
    for (let at = next.get('none'); at; at = next.get(at)) chain.push(at);
    expect(chain).toHaveLength(11);
    const stored = await t.database.db.supportConversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(stored.adminId).toBe(chain[chain.length - 1]);
  });
});
