// Satisfaction ratings (CSAT): only the conversation's own user rates, only a resolved
// conversation, one answer per resolution, changeable for 24 hours; agents read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';

describe('conversation ratings (CSAT)', () => {
  let t: TestApp;
  let agent: TestAdmin;
  let driver: TestUser;
  let other: TestUser;
  let conversationId: string;

  beforeAll(async () => {
    t = await startTestApp();
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
    driver = await createUser(t.database.db, t.services.tokens, 'driver');
    other = await createUser(t.database.db, t.services.tokens, 'driver');
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: driver.token,
      body: { subject: 'Broken app' },
    });
    conversationId = created.json.conversation.id;
  }, 60_000);
  afterAll(() => t?.close());

  const rate = (token: string, body: unknown) =>
    api(t.baseUrl, 'PUT', `/api/support/conversations/${conversationId}/rating`, { token, body });
  const setStatus = (action: 'resolve' | 'reopen') =>
    api(t.baseUrl, 'POST', `/api/admin/support/conversations/${conversationId}/${action}`, { token: agent.token });

  it('an open conversation cannot be rated yet', async () => {
    const state = await api(t.baseUrl, 'GET', `/api/support/conversations/${conversationId}/rating`, {
      token: driver.token,
    });
    expect(state.json).toEqual({ canRate: false, rating: null });
    const refused = await rate(driver.token, { rating: 5 });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe(ErrorCode.RATING_NOT_OPEN);
  });

  it('after resolution the own user rates once, may change it, and the agent sees it', async () => {
    expect((await setStatus('resolve')).status).toBe(200);
    const bad = await rate(driver.token, { rating: 6 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe(ErrorCode.VALIDATION_FAILED);

    const first = await rate(driver.token, { rating: 2, comment: 'slow' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ rating: 2, comment: 'slow' });
    const changed = await rate(driver.token, { rating: 4 });
    expect(changed.json).toMatchObject({ rating: 4, comment: null, createdAt: first.json.createdAt });
    expect(await t.database.db.conversationRating.count({ where: { conversationId } })).toBe(1);

    const info = await api(t.baseUrl, 'GET', `/api/admin/support/conversations/${conversationId}/notifications`, {
      token: agent.token,
    });
    expect(info.json.rating).toMatchObject({ rating: 4 });
    const audit = await t.database.db.auditLog.findFirst({
      where: { action: 'SUPPORT_CONVERSATION_RATED' },
      orderBy: { createdAt: 'desc' },
    });
    expect(audit?.metadata).toMatchObject({ conversationId, rating: 4 });
    expect(JSON.stringify(audit?.metadata)).not.toContain('slow');
  });

  it('nobody else rates it: another user gets 404, an agent 403', async () => {
    const foreign = await rate(other.token, { rating: 1 });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe(ErrorCode.NOT_FOUND);
    expect((await rate(agent.token, { rating: 1 })).status).toBe(403);
    expect(
      (await api(t.baseUrl, 'GET', `/api/support/conversations/${conversationId}/rating`, { token: other.token }))
        .status,
    ).toBe(404);
  });

  it('closes 24 hours after it was given; a new resolution can be rated again', async () => {
    await t.database.db.conversationRating.updateMany({
      where: { conversationId },
      data: { createdAt: new Date(Date.now() - 25 * 3600_000) },
    });
    const closed = await rate(driver.token, { rating: 5 });
    expect(closed.status).toBe(409);
    expect(closed.json.error.code).toBe(ErrorCode.RATING_CLOSED);
    const state = await api(t.baseUrl, 'GET', `/api/support/conversations/${conversationId}/rating`, {
      token: driver.token,
    });
    expect(state.json).toMatchObject({ canRate: false, rating: { rating: 4 } });

    await setStatus('reopen');
    await setStatus('resolve');
    const again = await rate(driver.token, { rating: 5 });
    expect(again.status).toBe(200);
    expect(await t.database.db.conversationRating.count({ where: { conversationId } })).toBe(2);
  });
});
