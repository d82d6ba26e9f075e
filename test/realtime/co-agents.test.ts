// Two agents in one conversation: who else has it open (viewing:start / viewers:updated) and a
// colleague's typing, with real sockets on a real server; across two server processes the viewers
// come from every process, and a crashed process's viewers stop counting.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, type ConversationViewer, ServerEvent } from '../../common/realtime.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import {
  closeAllSockets,
  connectSupport,
  emitWithAck,
  nextEvent,
  recordEvents,
  type SupportClient,
  sleep,
} from '../helpers/sockets.js';

const SILENCE_MS = 500;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const names = (viewers: unknown) => (viewers as ConversationViewer[]).map((viewer) => viewer.displayName);

/** The next viewers:updated of a conversation whose names are exactly `expected`. */
const viewersBecome = (socket: SupportClient, conversationId: string, expected: string[]) =>
  nextEvent(
    socket,
    ServerEvent.VIEWERS_UPDATED,
    (e) => e.conversationId === conversationId && names(e.viewers).join() === expected.join(),
  );

const newConversation = async (baseUrl: string, user: TestUser) =>
  (await api(baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: { subject: 'Co-agents' } })).json
    .conversation.id as string;

describe('two agents in one conversation', () => {
  let t: TestApp;
  let driver: TestUser;
  let marcus: TestAdmin;
  let sofia: TestAdmin;
  let noChat: TestAdmin;

  beforeAll(async () => {
    t = await startTestApp();
    driver = await createUser(t.database.db, t.services.tokens, 'driver');
    marcus = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Marcus Lee');
    sofia = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Sofia Reyes');
    noChat = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE'], 'Reports Only');
  });
  afterEach(() => closeAllSockets());
  afterAll(() => t?.close());

  it('each viewer sees the other; two tabs count once; closing them tells the other; users hear nothing', async () => {
    const conversationId = await newConversation(t.baseUrl, driver);
    const user = await connectSupport(t.baseUrl, driver.token);
    const userHeard = recordEvents(user);
    const a = await connectSupport(t.baseUrl, marcus.token);
    const b1 = await connectSupport(t.baseUrl, sofia.token);
    const b2 = await connectSupport(t.baseUrl, sofia.token);

    expect(await emitWithAck(a, ClientEvent.VIEWING_START, { conversationId })).toEqual({
      ok: true,
      viewers: [{ adminId: marcus.adminId, displayName: 'Marcus Lee' }],
    });
    const aSeesSofia = viewersBecome(a, conversationId, ['Marcus Lee', 'Sofia Reyes']);
    const joined = await emitWithAck(b1, ClientEvent.VIEWING_START, { conversationId });
    expect(names(joined.viewers)).toEqual(['Marcus Lee', 'Sofia Reyes']);
    await aSeesSofia;

    // Sofia's second tab: still one Sofia.
    const second = await emitWithAck(b2, ClientEvent.VIEWING_START, { conversationId });
    expect(names(second.viewers)).toEqual(['Marcus Lee', 'Sofia Reyes']);
    // Sending it again is a refresh: the same answer, nothing broadcast.
    expect(names((await emitWithAck(b2, ClientEvent.VIEWING_START, { conversationId })).viewers)).toEqual([
      'Marcus Lee',
      'Sofia Reyes',
    ]);

    // One tab closed (viewing:stop), then the other disconnected (a closed tab): only then she is gone.
    const stillTwo = nextEvent(a, ServerEvent.VIEWERS_UPDATED, (e) => e.conversationId === conversationId);
    await emitWithAck(b1, ClientEvent.VIEWING_STOP, { conversationId });
    expect(names((await stillTwo).viewers)).toEqual(['Marcus Lee', 'Sofia Reyes']);
    const sofiaGone = viewersBecome(a, conversationId, ['Marcus Lee']);
    b2.disconnect();
    await sofiaGone;

    // The user is in the conversation room all along and never hears of viewers; nor may they ask.
    const asked = await emitWithAck(user, ClientEvent.VIEWING_START, { conversationId });
    expect(asked).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await sleep(SILENCE_MS);
    expect(userHeard.events.map((e) => e.event)).not.toContain(ServerEvent.VIEWERS_UPDATED);
    expect(JSON.stringify(userHeard.events)).not.toContain(sofia.adminId);
  });

  it('an admin without SUPPORT_CHAT, or without the conversation, is refused and joins nothing', async () => {
    const conversationId = await newConversation(t.baseUrl, driver);
    const a = await connectSupport(t.baseUrl, marcus.token);
    await emitWithAck(a, ClientEvent.VIEWING_START, { conversationId });
    const heard = recordEvents(a);
    const outsider = await connectSupport(t.baseUrl, noChat.token);
    expect(await emitWithAck(outsider, ClientEvent.VIEWING_START, { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const unknown = await emitWithAck(a, ClientEvent.VIEWING_START, { conversationId: crypto.randomUUID() });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await emitWithAck(a, ClientEvent.VIEWING_START, { conversationId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    await sleep(SILENCE_MS);
    expect(heard.events.filter((e) => e.event === ServerEvent.VIEWERS_UPDATED)).toEqual([]);
  });

  it('an agent who loses SUPPORT_CHAT stops counting at once', async () => {
    const ana = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Ana Silva');
    const conversationId = await newConversation(t.baseUrl, driver);
    const a = await connectSupport(t.baseUrl, marcus.token);
    const b = await connectSupport(t.baseUrl, ana.token);
    await emitWithAck(a, ClientEvent.VIEWING_START, { conversationId });
    const aSeesAna = viewersBecome(a, conversationId, ['Ana Silva', 'Marcus Lee']);
    await emitWithAck(b, ClientEvent.VIEWING_START, { conversationId });
    await aSeesAna;

    const anaGone = viewersBecome(a, conversationId, ['Marcus Lee']);
    const profile = await t.database.db.adminProfile.findUniqueOrThrow({ where: { id: ana.adminId } });
    await t.database.db.adminRole.update({ where: { id: profile.roleId }, data: { permissions: [] } });
    await anaGone;
    expect(b.connected).toBe(true);
    expect(await emitWithAck(b, ClientEvent.VIEWING_START, { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it("admins get a colleague's typing with their adminId; the user's copy does not carry it", async () => {
    const conversationId = await newConversation(t.baseUrl, driver);
    const user = await connectSupport(t.baseUrl, driver.token);
    const a = await connectSupport(t.baseUrl, marcus.token);
    const b = await connectSupport(t.baseUrl, sofia.token);
    const atSofia = nextEvent(b, ServerEvent.TYPING, (e) => e.conversationId === conversationId);
    const atUser = nextEvent(user, ServerEvent.TYPING, (e) => e.conversationId === conversationId);
    expect(await emitWithAck(a, ClientEvent.TYPING_START, { conversationId })).toEqual({ ok: true });
    expect(await atSofia).toEqual({
      conversationId,
      senderType: 'admin',
      name: 'Marcus Lee',
      adminId: marcus.adminId,
      isTyping: true,
    });
    expect(await atUser).toEqual({ conversationId, senderType: 'admin', name: 'Marcus Lee', isTyping: true });
  });
});

describe('viewers across two server processes (SOCKET_ADAPTER=redis)', () => {
  let database: TestDatabase;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let driver: TestUser;
  let marcus: TestAdmin;
  let sofia: TestAdmin;
  const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });

  beforeAll(async () => {
    database = await createTestDatabase();
    driver = await createUser(database.db, tokens, 'driver');
    marcus = await createAdmin(database.db, tokens, ['SUPPORT_CHAT'], 'Marcus Lee');
    sofia = await createAdmin(database.db, tokens, ['SUPPORT_CHAT'], 'Sofia Reyes');
    const env = { DATABASE_URL: database.url, SOCKET_ADAPTER: 'redis', REDIS_URL };
    [nodeA, nodeB] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 90_000);
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await database?.drop();
  });

  it('sees viewers on the other process, and stops counting those of a crashed process', async () => {
    const conversationId = await newConversation(nodeA.baseUrl, driver);
    const a = await connectSupport(nodeA.baseUrl, marcus.token);
    const b = await connectSupport(nodeB.baseUrl, sofia.token);
    await emitWithAck(a, ClientEvent.VIEWING_START, { conversationId });
    const aSeesSofia = viewersBecome(a, conversationId, ['Marcus Lee', 'Sofia Reyes']);
    const joined = await emitWithAck(b, ClientEvent.VIEWING_START, { conversationId });
    expect(names(joined.viewers)).toEqual(['Marcus Lee', 'Sofia Reyes']);
    await aSeesSofia;

    // Process B dies without a word: Marcus's next refresh no longer counts Sofia.
    await nodeB.kill('SIGKILL');
    const refreshed = await emitWithAck(a, ClientEvent.VIEWING_START, { conversationId }, 10_000);
    expect(refreshed).toMatchObject({ ok: true });
    expect(names(refreshed.viewers)).toEqual(['Marcus Lee']);
  });
});
