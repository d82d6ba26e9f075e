// Internal notes and @mentions. The security property first: a note never reaches the
// conversation's user, over HTTP (messages, conversation, list, unread totals), over sockets
// (live events and the catch-up after a reconnect) or through the notification outbox, and the
// user's message seq stays gap-free. Then the agents' side: live note events, mention alerts to
// the mentioned agent only, the Mentions view and its read marks, idempotent retries, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MentionPage } from '../../common/notes.js';
import { ClientEvent, ServerEvent } from '../../common/realtime.js';
import { poolOf } from '../../server/db/client.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { closeAllSockets, connectSupport, emitWithAck, nextEvent, recordEvents } from '../helpers/sockets.js';

const SECRET = 'Refund approved by finance, do not tell the customer yet';

describe('internal notes and mentions', () => {
  let t: TestApp;
  let user: TestUser;
  let writer: TestAdmin;
  let colleague: TestAdmin;
  let noChat: TestAdmin;
  let conversationId: string;

  const notesPath = () => `/api/admin/support/conversations/${conversationId}/notes`;
  const writeNote = (body: object, token = writer.token) => api(t.baseUrl, 'POST', notesPath(), { token, body });
  const reply = (token: string, body: string) =>
    api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, { token, body: { body } });

  beforeAll(async () => {
    t = await startTestApp();
    const { db, tokens } = { db: t.database.db, tokens: t.services.tokens };
    user = await createUser(db, tokens, 'driver', { fullName: 'Alex Morgan' });
    writer = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Sofia Reyes');
    colleague = await createAdmin(db, tokens, ['SUPPORT_CHAT'], 'Marcus Lee');
    noChat = await createAdmin(db, tokens, ['SETTINGS_MANAGE'], 'Lena Settings');
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { message: { body: 'My payout is missing' } },
    });
    conversationId = created.json.conversation.id;
  });
  afterAll(async () => {
    closeAllSockets();
    await t.close();
  });

  it('never reaches the user: HTTP, live sockets, catch-up, counters, previews, outbox', async () => {
    const userSocket = await connectSupport(t.baseUrl, user.token);
    const userEvents = recordEvents(userSocket);
    const writerSocket = await connectSupport(t.baseUrl, writer.token);
    const colleagueSocket = await connectSupport(t.baseUrl, colleague.token);
    const writerEvents = recordEvents(writerSocket);
    // The user's socket also joins the room explicitly (as an admin would): still nothing.
    expect((await emitWithAck(userSocket, ClientEvent.CONVERSATION_JOIN, { conversationId })).ok).toBe(true);
    const before = await api(t.baseUrl, 'GET', `/api/support/conversations/${conversationId}`, { token: user.token });

    const seenByColleague = nextEvent(colleagueSocket, ServerEvent.NOTE_CREATED);
    const alert = nextEvent(colleagueSocket, ServerEvent.MENTION_CREATED);
    const note = await writeNote({ body: `@Marcus Lee ${SECRET}`, mentionAdminIds: [colleague.adminId] });
    expect(note.status).toBe(201);
    expect(note.json).toMatchObject({
      conversationId,
      seq: 1,
      authorAdminId: writer.adminId,
      authorName: 'Sofia Reyes',
      mentions: [{ adminId: colleague.adminId, displayName: 'Marcus Lee' }],
    });
    expect((await seenByColleague).note.id).toBe(note.json.id);
    expect(await alert).toMatchObject({ note: { id: note.json.id }, userName: 'Alex Morgan' });

    // A reply after the note: once the user has it, any note event would have arrived before it.
    const replyArrived = nextEvent(
      userSocket,
      ServerEvent.MESSAGE_CREATED,
      (event) => event.message.senderType === 'admin',
    );
    const sent = await reply(colleague.token, 'Your payout is on its way');
    expect(sent.status).toBe(201);
    expect((await replyArrived).message.seq).toBe(2); // the first message was 1: no gap for the note
    expect(JSON.stringify(userEvents.events)).not.toContain(SECRET);
    expect(userEvents.events.map((e) => e.event)).not.toContain(ServerEvent.NOTE_CREATED);
    expect(userEvents.events.map((e) => e.event)).not.toContain(ServerEvent.MENTION_CREATED);
    // The mention alert went to the mentioned agent only.
    expect(writerEvents.events.map((e) => e.event)).toContain(ServerEvent.NOTE_CREATED);
    expect(writerEvents.events.map((e) => e.event)).not.toContain(ServerEvent.MENTION_CREATED);

    // The user's HTTP answers: messages, the conversation, the list, the totals.
    const userGets = await Promise.all(
      [
        `/api/support/conversations/${conversationId}/messages`,
        `/api/support/conversations/${conversationId}/messages?afterSeq=0`,
        `/api/support/conversations/${conversationId}`,
        '/api/support/conversations',
        '/api/support/unread',
      ].map((path) => api(t.baseUrl, 'GET', path, { token: user.token })),
    );
    for (const answer of userGets) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(SECRET);
    }
    const [, bySeq, conversation, , unread] = userGets;
    expect(bySeq?.json.items.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
    expect(conversation?.json.lastMessage.id).toBe(sent.json.id);
    expect(conversation?.json.unreadCount).toBe((before.json.unreadCount as number) + 1); // the reply only
    expect(unread?.json).toEqual({ messages: 1, conversations: 1 });

    // Catch-up after a reconnect: a note written while the user was away is not in it.
    userSocket.disconnect();
    expect((await writeNote({ body: `${SECRET} (second)` })).status).toBe(201);
    expect((await reply(colleague.token, 'Anything else?')).status).toBe(201);
    const back = await connectSupport(t.baseUrl, user.token);
    const sync = await emitWithAck(back, ClientEvent.MESSAGES_SYNC, { conversationId, afterSeq: 2 });
    expect(sync.ok).toBe(true);
    expect((sync.messages as { seq: number; body: string }[]).map((m) => [m.seq, m.body])).toEqual([
      [3, 'Anything else?'],
    ]);
    expect(JSON.stringify(sync)).not.toContain(SECRET);

    // No outbox row, no message row for any note; the outbox holds the two replies' digest only.
    const pool = poolOf(t.database.db);
    const { rows: messages } = await pool.query(
      `SELECT body FROM "SupportMessage" WHERE "conversationId" = $1 AND body LIKE '%' || $2 || '%'`,
      [conversationId, SECRET],
    );
    expect(messages).toEqual([]);
    const { rows: outbox } = await pool.query(
      `SELECT sum("messageCount")::int AS replies FROM "NotificationOutbox" WHERE "conversationId" = $1`,
      [conversationId],
    );
    expect(outbox[0]?.replies).toBe(2);
  });

  it('does not assign the conversation, and numbers notes gap-free under concurrent writes', async () => {
    const opened = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { message: { body: 'Another question' } },
    });
    const other = opened.json.conversation.id as string;
    const path = `/api/admin/support/conversations/${other}/notes`;
    for (const body of ['first', 'second']) {
      expect((await api(t.baseUrl, 'POST', path, { token: writer.token, body: { body } })).status).toBe(201);
    }
    const view = await api(t.baseUrl, 'GET', `/api/support/conversations/${other}`, { token: writer.token });
    expect(view.json).toMatchObject({ adminId: null, unreadCount: 1 });
    const list = await api(t.baseUrl, 'GET', `${path}?afterSeq=1`, { token: colleague.token });
    expect(list.json).toMatchObject({ items: [{ seq: 2, body: 'second' }], hasMore: false });
    // Written at once by two agents: numbered one after another, none lost.
    const burst = await Promise.all(
      [writer, colleague, writer, colleague].map((agent, i) =>
        api(t.baseUrl, 'POST', path, { token: agent.token, body: { body: `burst ${i}` } }),
      ),
    );
    expect(burst.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(burst.map((answer) => answer.json.seq as number).sort()).toEqual([3, 4, 5, 6]);
  });

  it('stores a retried note once; another agent cannot reuse its id', async () => {
    const body = { body: 'Called the restaurant', clientNoteId: 'note-retry-0001' };
    const first = await writeNote(body);
    const again = await writeNote(body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.json.id).toBe(first.json.id);
    const stolen = await writeNote(body, colleague.token);
    expect(stolen.status).toBe(409);
    expect(stolen.json.error.code).toBe('CONFLICT');
  });

  it('refuses bad notes with stable codes', async () => {
    const cases: [object, number, string][] = [
      [{ body: '   ' }, 400, 'MESSAGE_EMPTY'],
      [{ body: 'x'.repeat(4001) }, 400, 'MESSAGE_TOO_LONG'],
      [{ body: 'hi', mentionAdminIds: [noChat.adminId] }, 400, 'VALIDATION_FAILED'],
      [{ body: 'hi', mentionAdminIds: [user.userId] }, 400, 'VALIDATION_FAILED'],
      [{ body: 'hi', mentionAdminIds: ['not-a-uuid'] }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await writeNote(body);
      expect([answer.status, answer.json.error?.code]).toEqual([status, code]);
    }
    const unknown = await api(
      t.baseUrl,
      'POST',
      '/api/admin/support/conversations/00000000-0000-4000-8000-000000000000/notes',
      {
        token: writer.token,
        body: { body: 'hi' },
      },
    );
    expect(unknown.status).toBe(404);
  });

  it('lists mentions unread first, and opening the conversation reads them', async () => {
    const opened = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { message: { body: 'Third question' } },
    });
    const third = opened.json.conversation.id as string;
    // Read the first conversation's mention, then get a new mention in the third one.
    const read = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${conversationId}/mentions/read`, {
      token: colleague.token,
    });
    expect(read.json).toEqual({ conversationId, marked: 1, unreadMentions: 0 });
    const mention = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${third}/notes`, {
      token: writer.token,
      body: { body: '@Marcus Lee can you take this?', mentionAdminIds: [colleague.adminId, writer.adminId] },
    });
    // Mentioning oneself is dropped: no alert to the writer.
    expect(mention.json.mentions).toEqual([{ adminId: colleague.adminId, displayName: 'Marcus Lee' }]);

    const page = (await api(t.baseUrl, 'GET', '/api/admin/support/mentions', { token: colleague.token }))
      .json as MentionPage;
    expect(page.unreadMentions).toBe(1);
    expect(page.items.map((item) => [item.conversation.id, item.unreadMentions])).toEqual([
      [third, 1],
      [conversationId, 0],
    ]);
    expect(page.items[0]?.lastNote.body).toBe('@Marcus Lee can you take this?');
    expect(page.items[0]?.conversation.user?.displayName).toBe('Alex Morgan');

    const readThird = await api(t.baseUrl, 'POST', `/api/admin/support/conversations/${third}/mentions/read`, {
      token: colleague.token,
    });
    expect(readThird.json).toMatchObject({ marked: 1, unreadMentions: 0 });
    const writerPage = await api(t.baseUrl, 'GET', '/api/admin/support/mentions', { token: writer.token });
    expect(writerPage.json).toEqual({ items: [], hasMore: false, unreadMentions: 0 });
  });

  it('audits notes with ids only; the text reaches neither the audit log nor the log', async () => {
    const { rows } = await poolOf(t.database.db).query(
      `SELECT metadata FROM "AuditLog" WHERE action = 'SUPPORT_NOTE_CREATED' ORDER BY "createdAt" LIMIT 1`,
    );
    expect(rows[0]?.metadata).toMatchObject({
      conversationId,
      noteId: expect.any(String),
      bodyLength: expect.any(Number),
      mentionedAdminIds: [colleague.adminId],
    });
    const { rows: all } = await poolOf(t.database.db).query(`SELECT metadata::text AS m FROM "AuditLog"`);
    expect(JSON.stringify(all)).not.toContain('Refund approved');
    expect(t.logText()).not.toContain('Refund approved');
  });
});
