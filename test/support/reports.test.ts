// Support reports: every metric on a hand-built history with known answers (a reopen, a
// conversation opened after midnight in the lead's timezone), the permission, the CSV (no personal
// data), and the trigger-maintained figures against a computation from scratch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportQuery, type SupportReport } from '../../common/reports.js';
import { createDb, poolOf } from '../../server/db/client.js';
import { createReportsService } from '../../server/support/reports/reports.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { createOrder } from '../helpers/orders.js';

type Step = ['user' | 'admin', number] | ['resolve', number] | ['rate', number, number];

/**
 * The maintained report rows equal a computation from scratch. From scratch, the resolution times
 * are the audit entries', written a moment after resolvedAt: those agree within a second.
 */
function expectSameAsFromScratch(maintained: Record<string, unknown>[], fromScratch: Record<string, unknown>[]) {
  const RESOLUTION = ['firstResolvedAt', 'lastResolvedAt', 'resolutionSeconds'];
  const rest = (row: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(row).filter(([key]) => !RESOLUTION.includes(key)));
  expect(maintained.map(rest)).toEqual(fromScratch.map(rest));
  maintained.forEach((row, i) => {
    for (const key of RESOLUTION) {
      const [kept, scratch] = [row[key], fromScratch[i]?.[key]];
      if (kept === null || scratch === null) expect(kept).toBe(scratch);
      else expect(Math.abs(Number(kept) - Number(scratch))).toBeLessThan(key === 'resolutionSeconds' ? 1 : 1000);
    }
  });
}
describe('support reports', () => {
  let t: TestApp;
  let lead: TestAdmin;
  let agentOne: TestAdmin;
  let agentTwo: TestAdmin;
  let customer: TestUser;
  let driver: TestUser;
  let orderId: string;
  const ids: Record<string, string> = {};

  const get = (path: string, token = lead.token) => api(t.baseUrl, 'GET', path, { token });
  const report = async (query: string) => {
    const { status, json } = await get(`/api/admin/support/reports?${query}`);
    expect(status).toBe(200);
    return json as SupportReport;
  };

  /**
   * One conversation written straight to the tables as the application writes them (steps are
   * seconds after `createdAt`): messages, resolutions (with their audit row), a user message after a
   * resolution reopening it, ratings of the resolution just made.
   */
  async function history(
    name: string,
    user: TestUser,
    createdAt: string,
    steps: Step[],
    extra: { admin?: TestAdmin; orderId?: string } = {},
  ) {
    const pool = poolOf(t.database.db);
    const start = Date.parse(createdAt);
    const at = (seconds: number) => new Date(start + seconds * 1000);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "SupportConversation" ("userId", "userType", "adminId", "orderId", "createdAt", "lastMessageAt", "queuedAt")
       VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING id`,
      [user.userId, user.userType, extra.admin?.adminId ?? null, extra.orderId ?? null, at(0)],
    );
    const id = rows[0]?.id as string;
    ids[name] = id;
    let seq = 0;
    let resolvedAt: Date | null = null;
    for (const step of steps) {
      if (step[0] === 'resolve') {
        resolvedAt = at(step[1]);
        await pool.query(`UPDATE "SupportConversation" SET status = 'resolved', "resolvedAt" = $2 WHERE id = $1`, [
          id,
          resolvedAt,
        ]);
        await pool.query(
          `INSERT INTO "AuditLog" (action, "actorType", "targetType", "targetId", "createdAt")
           VALUES ('SUPPORT_CONVERSATION_RESOLVED', 'admin', 'SupportConversation', $1, $2)`,
          [id, resolvedAt],
        );
      } else if (step[0] === 'rate') {
        await pool.query(
          `INSERT INTO "ConversationRating" ("conversationId", "userId", "resolvedAt", rating, "createdAt")
           VALUES ($1, $2, $3, $4, $5)`,
          [id, user.userId, resolvedAt, step[1], at(step[2])],
        );
      } else {
        const [sender, seconds] = step;
        // As the message write does: a message reopens a resolved conversation.
        await pool.query(
          `UPDATE "SupportConversation" SET status = 'open', "resolvedAt" = NULL, "lastSeq" = $2 WHERE id = $1`,
          [id, ++seq],
        );
        await pool.query(
          `INSERT INTO "SupportMessage" ("conversationId", "senderType", "senderAdminId", body, "createdAt", seq)
           VALUES ($1, $2, $3, 'hand-built secret text', $4, $5)`,
          [id, sender, sender === 'admin' ? (extra.admin?.adminId ?? null) : null, at(seconds), seq],
        );
      }
    }
  }

  beforeAll(async () => {
    t = await startTestApp();
    const { db } = t.database;
    const tokens = t.services.tokens;
    lead = await createAdmin(db, tokens, ['SUPPORT_CHAT', 'SUPPORT_REPORTS'], 'Lead Lee');
    agentOne = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Agent, "One"');
    agentTwo = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Agent Two');
    customer = await createUser(db, tokens, 'customer', { fullName: 'Emma Wilson', phone: '+44 7700 111111' });
    driver = await createUser(db, tokens, 'driver', { fullName: 'Alex Morgan', phone: '+44 7700 222222' });
    const restaurant = await createUser(db, tokens, 'restaurant');
    const order = await createOrder(db, { customerId: customer.userId, restaurantId: restaurant.userId });
    orderId = order.id;

    // Asia/Tokyo is UTC+9 all year. The period 10-11 January 2026 there is 09T15:00Z..11T15:00Z.
    // A: 00:30 on the 10th in Tokyo, still the 9th in UTC (night-time): answered in 60 s, resolved in 600 s, rated 5.
    await history(
      'A',
      customer,
      '2026-01-09T15:30:00Z',
      [
        ['user', 0],
        ['admin', 60],
        ['resolve', 600],
        ['rate', 5, 700],
      ],
      {
        admin: agentOne,
      },
    );
    // B: answered in 180 s, resolved at 3600 s (rated 4), reopened by the user, resolved again (rated 2).
    await history(
      'B',
      driver,
      '2026-01-10T01:00:00Z',
      [
        ['user', 0],
        ['admin', 180],
        ['resolve', 3600],
        ['rate', 4, 3700],
        ['user', 7200],
        ['admin', 7260],
        ['resolve', 9000],
        ['rate', 2, 9100],
      ],
      { admin: agentOne, orderId: order.id },
    );
    // C: 23:50 on the 11th in Tokyo, never answered.
    await history('C', customer, '2026-01-11T14:50:00Z', [['user', 0]], { admin: agentTwo });
    // D: 00:10 on the 12th in Tokyo (still the 11th in UTC): outside the Tokyo period.
    await history(
      'D',
      customer,
      '2026-01-11T15:10:00Z',
      [
        ['user', 0],
        ['admin', 30],
      ],
      { admin: agentTwo },
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  const tokyo = 'period=custom&from=2026-01-10&to=2026-01-11&tz=Asia%2FTokyo';

  it('computes each metric over the period in the lead timezone', async () => {
    const result = await report(tokyo);
    expect(result.period).toMatchObject({ from: '2026-01-10', to: '2026-01-11', start: '2026-01-09T15:00:00.000Z' });
    expect(result.summary).toEqual({
      created: 3,
      resolved: 2,
      firstResponseMedianSeconds: 120, // A 60 s, B 180 s; C has none
      firstResponseP90Seconds: 168,
      resolutionMedianSeconds: 2100, // A 600 s, B 3600 s (its first resolution)
      resolutionP90Seconds: 3300,
      reopenRate: 0.5, // B of A and B
      messagesPerConversation: 2.33, // 2 + 4 + 1
      csatAverage: 3.5, // A 5, B 2 (its latest rating)
      csatCount: 2,
      csatDistribution: [0, 1, 0, 0, 1],
    });
    expect(result.byDay.map((d) => [d.day, d.created, d.resolved])).toEqual([
      ['2026-01-10', 2, 2],
      ['2026-01-11', 1, 0],
    ]);
    const agents = Object.fromEntries(result.byAgent.map((a) => [a.displayName, a]));
    expect(agents['Agent, "One"']).toMatchObject({ created: 2, firstResponseMedianSeconds: 120, csatAverage: 3.5 });
    expect(agents['Agent Two']).toMatchObject({ created: 1, firstResponseMedianSeconds: null, csatCount: 0 });
    expect(result.byUserType.map((u) => [u.userType, u.created])).toEqual([
      ['customer', 2],
      ['driver', 1],
    ]);
    expect(result.live.queue).toMatchObject({ length: 0 });
  });

  it('buckets by the given timezone: the same dates in UTC hold other conversations', async () => {
    const result = await report('period=custom&from=2026-01-10&to=2026-01-11&tz=UTC');
    expect(result.summary.created).toBe(3); // B, C, D (A is the 9th in UTC)
    expect(result.byDay.map((d) => d.created)).toEqual([1, 2]);
    expect(result.summary.firstResponseMedianSeconds).toBe(105); // B 180 s, D 30 s
  });

  it('keeps the 25th hour of the day daylight saving time ends on in that day', async () => {
    // Los Angeles leaves daylight saving time on 1 November 2026: that day lasts 08:00Z..08:00Z+25 h.
    // E: 23:30 there on the 1st (07:30Z on the 2nd), the day's last hour.
    await history('E', customer, '2026-11-02T07:30:00Z', [['user', 0]], { admin: agentTwo });
    const result = await report('period=custom&from=2026-11-01&to=2026-11-02&tz=America%2FLos_Angeles');
    expect(result.period).toMatchObject({ start: '2026-11-01T07:00:00.000Z', end: '2026-11-03T08:00:00.000Z' });
    expect(result.byDay.map((d) => [d.day, d.created])).toEqual([
      ['2026-11-01', 1],
      ['2026-11-02', 0],
    ]);
  });

  it('filters by user type, agent and order link', async () => {
    expect((await report(`${tokyo}&userType=driver`)).summary.created).toBe(1);
    expect((await report(`${tokyo}&adminId=${agentTwo.adminId}`)).summary.created).toBe(1);
    const linked = await report(`${tokyo}&order=linked`);
    expect(linked.summary).toMatchObject({ created: 1, reopenRate: 1, resolutionMedianSeconds: 3600 });
    expect((await report(`${tokyo}&order=unlinked`)).summary.created).toBe(2);
  });

  it('counts today in the lead timezone, with the queue live', async () => {
    const opened = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: customer.token,
      body: { message: { body: 'Where is my order?' } },
    });
    expect(opened.status).toBe(201);
    const today = await report('period=today&tz=Pacific%2FKiritimati');
    expect(today.byDay).toHaveLength(1);
    expect(today.summary.created).toBe(1);
    expect(today.live.queue.length).toBe(1);
  });

  it('gives the same report from a pool of one connection (its statements then share it)', async () => {
    const db = createDb(t.database.url, { maxConnections: 1 });
    try {
      const reports = createReportsService({ db, routing: t.services.routing });
      const principal = { kind: 'admin' as const, ...lead, permissions: ['SUPPORT_REPORTS' as const] };
      const query = ReportQuery.parse({ period: 'custom', from: '2026-01-10', to: '2026-01-11', tz: 'Asia/Tokyo' });
      const { live: _live, ...alone } = await reports.report(principal, query);
      const { live: _apiLive, ...api } = await report(tokyo);
      expect(alone).toEqual(api);
      expect(alone.summary.created).toBe(3);
    } finally {
      await db.$disconnect();
    }
  });

  it('refuses admins without SUPPORT_REPORTS, and bad queries', async () => {
    for (const path of ['/api/admin/support/reports', '/api/admin/support/reports/conversations.csv']) {
      const refused = await get(path, agentOne.token);
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe('FORBIDDEN');
      expect((await get(path, customer.token)).status).toBe(403);
      expect((await api(t.baseUrl, 'GET', path)).status).toBe(401);
    }
    for (const query of [
      'tz=Mars%2FOlympus',
      'period=custom',
      'period=custom&from=2026-02-01&to=2026-01-01',
      'order=maybe',
    ]) {
      const bad = await get(`/api/admin/support/reports?${query}`);
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('exports the period as CSV without text, names of users, e-mails or phones', async () => {
    const { status, headers, text } = await get(`/api/admin/support/reports/conversations.csv?${tokyo}`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/csv');
    expect(headers.get('content-disposition')).toContain('support-report-2026-01-10-to-2026-01-11.csv');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'conversationId,userType,orderLinked,agentId,agentName,status,createdAt,firstResponseAt,firstResolvedAt,lastResolvedAt,firstResponseSeconds,resolutionSeconds,reopens,messageCount,rating',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      `${ids.A},customer,false,${agentOne.adminId},"Agent, ""One""",resolved,2026-01-09T15:30:00.000Z,2026-01-09T15:31:00.000Z,2026-01-09T15:40:00.000Z,2026-01-09T15:40:00.000Z,60.000,600.000,0,2,5`,
    );
    expect(lines[2]).toContain(`${ids.B},driver,true,`);
    expect(lines[2]).toMatch(/,1,4,2$/);
    for (const secret of [
      'hand-built secret text',
      'Emma',
      'Alex',
      customer.email,
      driver.email,
      '7700',
      customer.userId,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('keeps the maintained rows, and the report on them, equal to a computation from scratch after a varied history', async () => {
    const pool = poolOf(t.database.db);
    const open = async (user: TestUser, body: string) => {
      const opened = await api(t.baseUrl, 'POST', '/api/support/conversations', {
        token: user.token,
        body: { message: { body } },
      });
      expect(opened.status).toBe(201);
      return opened.json.conversation.id as string;
    };
    const ok = async (pending: Promise<{ status: number }>, status = 200) =>
      expect((await pending).status).toBe(status);
    const send = (id: string, token: string, body: string) =>
      ok(api(t.baseUrl, 'POST', `/api/support/conversations/${id}/messages`, { token, body: { body } }), 201);
    const act = (id: string, what: string, body?: unknown) =>
      ok(api(t.baseUrl, 'POST', `/api/admin/support/conversations/${id}/${what}`, { token: lead.token, body }));
    const linkOrder = (id: string, orderId: string | null) =>
      ok(api(t.baseUrl, 'PUT', `/api/support/conversations/${id}/order`, { token: customer.token, body: { orderId } }));

    // One: answered, resolved, reopened by the user, resolved and rated, reopened by an agent, reassigned.
    const one = await open(driver, 'Hello');
    await send(one, lead.token, 'On it');
    await act(one, 'resolve');
    await send(one, driver.token, 'Still broken');
    await act(one, 'resolve');
    await ok(
      api(t.baseUrl, 'PUT', `/api/support/conversations/${one}/rating`, { token: driver.token, body: { rating: 4 } }),
    );
    await act(one, 'reopen');
    await act(one, 'assign', { adminId: agentTwo.adminId, force: true });
    // Two: linked to an order, assigned, answered, unassigned, unlinked, resolved.
    const two = await open(customer, 'About my order');
    await linkOrder(two, orderId);
    await act(two, 'assign', { adminId: agentOne.adminId, force: true });
    await send(two, agentOne.token, 'Let me look');
    await act(two, 'assign', { adminId: null });
    await linkOrder(two, null);
    await act(two, 'resolve');
    // Three: opened, then deleted with its messages (as deleting its user does, by cascade).
    const three = await open(customer, 'Never mind');
    await pool.query(`DELETE FROM "SupportConversation" WHERE id = $1`, [three]);
    // No write path deletes single messages yet; if one does, the figures follow: One's only answer goes.
    await pool.query(`DELETE FROM "SupportMessage" WHERE "conversationId" = $1 AND "senderType" = 'admin'`, [one]);
    // A rating changed within its 24 hours.
    await pool.query(`UPDATE "ConversationRating" SET rating = 3 WHERE "conversationId" = $1`, [ids.A]);

    const maintained = await t.services.reports.maintained();
    const fromScratch = await t.services.reports.recomputeFromScratch();
    expectSameAsFromScratch(maintained, fromScratch);
    expect(maintained.find((row) => row.conversationId === three)).toBeUndefined();
    expect(maintained.find((row) => row.conversationId === one)).toMatchObject({
      adminId: agentTwo.adminId,
      status: 'open',
      resolutions: 2,
      reopens: 2,
      messageCount: 2,
      firstResponseAt: null,
      firstResponseSeconds: null,
      rating: 4,
    });
    expect(maintained.find((row) => row.conversationId === two)).toMatchObject({
      adminId: null,
      orderLinked: false,
      status: 'resolved',
      resolutions: 1,
    });

    // The report's figures (counts rolled up from cells, percentiles per group from the indexes)
    // equal the same figures computed here from the rows computed from scratch.
    const expected = (rows: Record<string, unknown>[]) => {
      const percentiles = (key: string) => {
        const values = rows
          .map((row) => row[key])
          .filter((value) => value !== null)
          .map(Number)
          .sort((x, y) => x - y);
        return [0.5, 0.9].map((p) => {
          if (values.length === 0) return null;
          const at = p * (values.length - 1);
          const [low, high] = [values[Math.floor(at)] as number, values[Math.ceil(at)] as number];
          return Number((low + (high - low) * (at - Math.floor(at))).toFixed(1));
        });
      };
      const count = (test: (row: Record<string, unknown>) => boolean) => rows.filter(test).length;
      const rated = rows.filter((row) => row.rating !== null).map((row) => Number(row.rating));
      const [frMedian, frP90] = percentiles('firstResponseSeconds');
      const [resMedian, resP90] = percentiles('resolutionSeconds');
      return {
        created: rows.length,
        resolved: count((row) => row.status === 'resolved'),
        firstResponseMedianSeconds: frMedian,
        firstResponseP90Seconds: frP90,
        resolutionMedianSeconds: resMedian,
        resolutionP90Seconds: resP90,
        reopenRate: count((row) => Number(row.resolutions) > 0)
          ? Number((count((row) => Number(row.reopens) > 0) / count((row) => Number(row.resolutions) > 0)).toFixed(4))
          : null,
        messagesPerConversation: Number(
          (rows.reduce((sum, row) => sum + Number(row.messageCount), 0) / rows.length).toFixed(2),
        ),
        csatAverage: rated.length ? Number((rated.reduce((x, y) => x + y, 0) / rated.length).toFixed(2)) : null,
        csatCount: rated.length,
        csatDistribution: [1, 2, 3, 4, 5].map((stars) => rated.filter((r) => r === stars).length),
      };
    };
    // Resolution percentiles from the audit's times may differ by a fraction of a second.
    const closeTo = (seconds: unknown) => (seconds === null ? null : expect.closeTo(Number(seconds), 0));
    const near = (figures: Record<string, unknown>) => ({
      ...figures,
      resolutionMedianSeconds: closeTo(figures.resolutionMedianSeconds),
      resolutionP90Seconds: closeTo(figures.resolutionP90Seconds),
    });
    // The hand-built year and today (where the conversations above were opened), each against the rows in its bounds.
    for (const query of ['period=custom&from=2026-01-01&to=2026-12-31&tz=UTC', 'period=today&tz=UTC']) {
      const { period, summary, byDay, byAgent, byUserType } = await report(query);
      const inPeriod = fromScratch.filter(
        (row) => (row.createdAt as Date) >= new Date(period.start) && (row.createdAt as Date) < new Date(period.end),
      );
      expect(inPeriod.length).toBeGreaterThanOrEqual(2);
      expect(summary).toEqual(near(expected(inPeriod)));
      expect(byAgent.reduce((sum, agent) => sum + agent.created, 0)).toBe(inPeriod.length);
      for (const agent of byAgent) {
        expect(agent).toMatchObject(near(expected(inPeriod.filter((row) => row.adminId === agent.adminId))));
      }
      expect(byUserType.reduce((sum, type) => sum + type.created, 0)).toBe(inPeriod.length);
      for (const type of byUserType) {
        expect(type).toMatchObject(near(expected(inPeriod.filter((row) => row.userType === type.userType))));
      }
      const dayOf = (row: Record<string, unknown>) => (row.createdAt as Date).toISOString().slice(0, 10);
      const days = byDay.filter((day) => day.created > 0);
      expect(days.map((day) => day.day)).toEqual([...new Set(inPeriod.map(dayOf))].sort());
      for (const day of days)
        expect(day).toMatchObject(near(expected(inPeriod.filter((row) => dayOf(row) === day.day))));
    }
  });

  it('does not count an internal note as a first response, nor assign by it', async () => {
    const opened = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: customer.token,
      body: { message: { body: 'Where is my food?' } },
    });
    const id = opened.json.conversation.id as string;
    const note = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${id}/notes`, {
      token: agentOne.token,
      body: { body: 'Checking with the restaurant first' },
    });
    expect(note.status).toBe(201);
    const row = (await t.services.reports.maintained()).find((r) => r.conversationId === id);
    expect(row).toMatchObject({ firstResponseAt: null, messageCount: 1, adminId: null, status: 'open' });
    expectSameAsFromScratch(await t.services.reports.maintained(), await t.services.reports.recomputeFromScratch());
  });

  it('counts pending and snoozed as not resolved: a resolution enters "resolved" from any status, a reopen leaves it', async () => {
    const opened = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: customer.token,
      body: { message: { body: 'Hello' } },
    });
    const id = opened.json.conversation.id as string;
    const status = async (body: object) =>
      expect(
        (await api(t.baseUrl, 'PUT', `/api/admin/support/conversations/${id}/status`, { token: lead.token, body }))
          .status,
      ).toBe(200);
    await status({ status: 'pending' });
    await status({ status: 'snoozed', snoozedUntil: new Date(Date.now() + 3600_000).toISOString() });
    let row = (await t.services.reports.maintained()).find((r) => r.conversationId === id);
    expect(row).toMatchObject({ status: 'snoozed', resolutions: 0, reopens: 0 });
    await status({ status: 'resolved' }); // from snoozed
    const reopened = await api(t.baseUrl, 'POST', `/api/support/conversations/${id}/messages`, {
      token: customer.token,
      body: { body: 'One more thing' },
    });
    expect(reopened.status).toBe(201);
    await status({ status: 'pending' });
    await status({ status: 'resolved' }); // from pending
    const maintained = await t.services.reports.maintained();
    expectSameAsFromScratch(maintained, await t.services.reports.recomputeFromScratch());
    row = maintained.find((r) => r.conversationId === id);
    // No agent message was written: changing the status is not a first response.
    expect(row).toMatchObject({
      status: 'resolved',
      resolutions: 2,
      reopens: 1,
      messageCount: 2,
      firstResponseAt: null,
    });
  });
});
