// Inbox search over the words of messages and internal notes (PostgreSQL full-text search):
// found by a word of a message, best match first, a plain-text snippet with highlight offsets,
// notes found for agents only, users unable to search notes or others' conversations, combined
// with the name search and the inbox filters, and hostile query syntax answered without a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDto, ConversationPage } from '../../common/support.js';
import { RANKED_MATCHES_LIMIT } from '../../server/support/search-sql.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';

describe('full-text search over messages and notes', () => {
  let t: TestApp;
  let agent: TestAdmin;
  let driver: TestUser;
  let customer: TestUser;
  let namesake: TestUser;
  let mentioner: TestUser;
  /** Three times "refund" in one short message: the best match. */
  let refundMany: string;
  /** "refund" once in a longer message, and newer: recency alone would put it first. */
  let refundOnce: string;
  let namesakeConversation: string;
  let mentionerConversation: string;

  const open = async (user: TestUser, body: string) => {
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { message: { body } },
    });
    expect(created.status).toBe(201);
    return created.json.conversation.id as string;
  };
  const search = async (query: Record<string, string>, token = agent.token) => {
    const response = await api(t.baseUrl, 'GET', `/api/admin/support/conversations?${new URLSearchParams(query)}`, {
      token,
    });
    expect(response.status).toBe(200);
    return response.json as ConversationPage;
  };
  const ids = (page: ConversationPage) => page.items.map((item) => item.id);
  const marked = (item: ConversationDto) =>
    (item.match?.highlights ?? []).map(([start, end]) => item.match?.snippet.slice(start, end));

  beforeAll(async () => {
    t = await startTestApp();
    const { db, tokens } = { db: t.database.db, tokens: t.services.tokens };
    agent = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Sofia Reyes');
    driver = await createUser(db, tokens, 'driver', { fullName: 'Alex Morgan' });
    customer = await createUser(db, tokens, 'customer', { fullName: 'Bella Chen' });
    namesake = await createUser(db, tokens, 'customer', { fullName: 'Priya Quillfeather' });
    mentioner = await createUser(db, tokens, 'driver', { fullName: 'Omar Haddad' });
    refundMany = await open(driver, 'Refund please: the blender arrived broken. Refund, refund!');
    refundOnce = await open(
      customer,
      'Hello, I ordered a pizza yesterday evening and it never came, so I would like a refund for it today',
    );
    namesakeConversation = await open(namesake, 'My scooter app crashes');
    mentionerConversation = await open(mentioner, 'Ms Quillfeather at the depot said to write here');
  });
  afterAll(() => t.close());

  it('finds conversations by a word of a message, best match first, with a marked snippet', async () => {
    const page = await search({ search: 'refund' });
    expect(ids(page)).toEqual([refundMany, refundOnce]);
    const [best, second] = page.items as [ConversationDto, ConversationDto];
    expect(best.match).toMatchObject({ kind: 'message', senderType: 'user' });
    expect(best.match?.snippet).toContain('Refund please: the blender arrived broken. Refund, refund');
    expect(marked(best)).toEqual(['Refund', 'Refund', 'refund']);
    expect(second.match?.snippet).toContain('refund');
    expect(marked(second)).toEqual(['refund']);
    // Plain text: no marker characters, no HTML.
    expect(JSON.stringify(page)).not.toMatch(/\\u000[12]|<b>/);
    // Case and the word's form as typed: 'simple' has no stemming.
    expect(ids(await search({ search: 'REFUND' }))).toEqual([refundMany, refundOnce]);
    expect(ids(await search({ search: 'refunded' }))).toEqual([]);
    // Web search syntax: a quoted phrase, and a word left out.
    expect(ids(await search({ search: '"refund please"' }))).toEqual([refundMany]);
    expect(ids(await search({ search: 'refund -pizza' }))).toEqual([refundMany]);
  });

  it('pages the ranked results with the cursor', async () => {
    const first = await search({ search: 'refund', limit: '1' });
    expect(ids(first)).toEqual([refundMany]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await search({ search: 'refund', limit: '1', cursor: first.nextCursor as string });
    expect(ids(second)).toEqual([refundOnce]);
    expect(second.nextCursor).toBeNull();
    const foreign = await api(
      t.baseUrl,
      'GET',
      `/api/admin/support/conversations?search=refund&cursor=${Buffer.from('["s",1,"x"]').toString('base64url')}`,
      { token: agent.token },
    );
    expect(foreign.status).toBe(400);
  });

  it('combines with the name search: the name matches first, then the text matches', async () => {
    const page = await search({ search: 'quillfeather' });
    expect(ids(page)).toEqual([namesakeConversation, mentionerConversation]);
    expect(page.items[0]?.match).toBeUndefined(); // found by the name: nothing to quote
    expect(marked(page.items[1] as ConversationDto)).toEqual(['Quillfeather']);
  });

  it('combines with the inbox filters', async () => {
    expect(ids(await search({ search: 'refund', userType: 'customer' }))).toEqual([refundOnce]);
    const resolved = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${refundMany}/resolve`, {
      token: agent.token,
    });
    expect(resolved.status).toBe(200);
    expect(ids(await search({ search: 'refund', status: 'open' }))).toEqual([refundOnce]);
    expect(ids(await search({ search: 'refund', status: 'resolved' }))).toEqual([refundMany]);
    expect(ids(await search({ search: 'refund', assigned: 'me' }))).toEqual([]);
    expect(ids(await search({ search: 'refund', sort: 'priority' })).sort()).toEqual([refundMany, refundOnce].sort());
  });

  it("finds an internal note's words for agents, and a user can search neither notes nor others' messages", async () => {
    const note = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${refundOnce}/notes`, {
      token: agent.token,
      body: { body: 'Known chargeback pattern, check with finance first' },
    });
    expect(note.status).toBe(201);
    const page = await search({ search: 'chargeback' });
    expect(ids(page)).toEqual([refundOnce]);
    expect(page.items[0]?.match).toMatchObject({ kind: 'note', id: note.json.id, senderType: null });
    expect(marked(page.items[0] as ConversationDto)).toEqual(['chargeback']);

    // The user's own list has no search: the parameter changes nothing and quotes nothing.
    const own = await api(t.baseUrl, 'GET', '/api/support/conversations?search=chargeback', { token: customer.token });
    expect(own.status).toBe(200);
    expect(ids(own.json)).toEqual([refundOnce]);
    expect(JSON.stringify(own.json)).not.toMatch(/chargeback|"match"/);
    // Another user's words are not reachable either.
    const other = await api(t.baseUrl, 'GET', '/api/support/conversations?search=blender', { token: customer.token });
    expect(ids(other.json)).toEqual([refundOnce]);
    // The inbox search is support's only.
    const asUser = await api(t.baseUrl, 'GET', '/api/admin/support/conversations?search=chargeback', {
      token: customer.token,
    });
    expect(asUser.status).toBe(403);
    expect(JSON.stringify(asUser.json)).not.toContain('chargeback');
  });

  it('lists a very common word by newest activity, walking the inbox, still with each best match', async () => {
    // More matching messages than ranking reads: three conversations share them (written straight
    // into the table: thousands of sends would take the whole test budget).
    const db = t.database.db;
    const older = await open(await createUser(db, t.services.tokens, 'driver'), 'First wombat sighting');
    const middle = await open(await createUser(db, t.services.tokens, 'driver'), 'Second one');
    const newest = await open(await createUser(db, t.services.tokens, 'driver'), 'Third wombat wombat wombat');
    const perConversation = Math.ceil(RANKED_MATCHES_LIMIT / 3) + 1;
    await db.$executeRaw`
      INSERT INTO "SupportMessage"("conversationId", "senderType", "messageType", body, seq, "createdAt")
      SELECT c.id, 'user', 'text', 'a wombat in the yard, number ' || g, 100 + g, now() - interval '1 hour' - g * interval '1 second'
      FROM unnest(${[older, middle, newest]}::uuid[]) c(id), generate_series(1, ${perConversation}) g`;
    const page = await search({ search: 'wombat', limit: '2' });
    // Newest activity first, although "Third wombat wombat wombat" ranks best too.
    expect(ids(page)).toEqual([newest, middle]);
    expect(marked(page.items[0] as ConversationDto)).toContain('wombat');
    const rest = await search({ search: 'wombat', limit: '2', cursor: page.nextCursor as string });
    expect(ids(rest)).toEqual([older]);
    expect(rest.nextCursor).toBeNull();
    // Filters still apply.
    expect(ids(await search({ search: 'wombat', userType: 'customer' }))).toEqual([]);
  });

  it('answers query syntax and punctuation without an error', async () => {
    for (const term of [
      `'&|!:*`,
      '-refund',
      '!refund',
      'refund:*',
      '"unclosed',
      'or',
      '(refund | pizza) & !blender',
      '\'; DROP TABLE "SupportMessage"; --',
      '<img src=x onerror=alert(1)>',
      '\\',
      '%_',
      '\u0001refund\u0002',
      'ü 中文 🍕',
    ]) {
      const response = await api(
        t.baseUrl,
        'GET',
        `/api/admin/support/conversations?${new URLSearchParams({ search: term })}`,
        { token: agent.token },
      );
      expect(response.status, term).toBe(200);
    }
    // Only a negation: nothing the index can look up, so no text search (the name search still runs).
    expect(ids(await search({ search: '-refund' }))).toEqual([]);
    expect(ids(await search({ search: 'refund:*' }))).toEqual([refundMany, refundOnce]);
  });
});
