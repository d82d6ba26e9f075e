// Input that used to slip through or fail with 500: broken multipart bodies, lone surrogates,
// and messages made only of invisible characters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerEvent } from '../../common/realtime.js';
import { sanitizeFileName } from '../../server/support/sanitize.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { makePng } from '../helpers/files.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';
import { closeAllSockets, connectSupport, nextEvent } from '../helpers/sockets.js';

describe('input hardening', () => {
  let t: TestApp;
  let user: TestUser;
  let agent: TestAdmin;
  let conversationId: string;

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t.database.db, t.services.tokens, 'driver');
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
    conversationId = (await api(t.baseUrl, 'POST', '/api/support/conversations', { token: user.token, body: {} })).json
      .conversation.id;
  });
  afterEach(() => closeAllSockets());
  afterAll(() => t.close());

  const rawUpload = async (body: Buffer | string, boundary = 'x') => {
    const response = await fetch(`${t.baseUrl}/api/support/conversations/${conversationId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: response.status, json: await response.json() };
  };
  const part = (headers: string, content: string | Buffer) =>
    Buffer.concat([Buffer.from(`--x\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);

  it('answers a truncated multipart body with 400 MULTIPART_INVALID, not 500', async () => {
    const response = await rawUpload('--x\r\ngarbage');
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('MULTIPART_INVALID');
    expect(t.logText()).not.toMatch(/Unexpected end of multipart data/);
  });

  it('answers too many files or fields with our own 413 codes and messages', async () => {
    const png = await makePng();
    const threeFiles = Buffer.concat([
      ...[1, 2, 3].map((i) =>
        part(`Content-Disposition: form-data; name="file"; filename="${i}.png"\r\nContent-Type: image/png`, png),
      ),
      Buffer.from('--x--\r\n'),
    ]);
    const files = await rawUpload(threeFiles);
    expect(files.status).toBe(413);
    expect(files.json.error.code).toBe('TOO_MANY_FILES');
    expect(files.json.error.message).not.toMatch(/reach files limit/);

    const manyFields = Buffer.concat([
      ...Array.from({ length: 5000 }, (_, i) => part(`Content-Disposition: form-data; name="f${i}"`, 'v')),
      Buffer.from('--x--\r\n'),
    ]);
    const fields = await rawUpload(manyFields);
    expect(fields.status).toBe(413);
    expect(fields.json.error.code).toBe('TOO_MANY_FIELDS');
    expect(fields.json.error.message).not.toMatch(/reach (fields|parts) limit/);
    expect(await t.database.db.supportAttachment.count({ where: { conversationId } })).toBe(0);
  });

  it('stores, answers and broadcasts the same text for a lone surrogate (U+FFFD)', async () => {
    const admin = await connectSupport(t.baseUrl, agent.token);
    const heard = nextEvent(admin, ServerEvent.MESSAGE_CREATED, (e) => e.message.conversationId === conversationId);
    const sent = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: user.token,
      body: { body: 'half \ud800 moon' },
    });
    expect(sent.status).toBe(201);
    expect(sent.json.body).toBe('half \ufffd moon');
    expect((await heard).message.body).toBe('half \ufffd moon');
    const row = await t.database.db.supportMessage.findUniqueOrThrow({ where: { id: sent.json.id } });
    expect(row.body).toBe('half \ufffd moon');

    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: user.token,
      body: { subject: 'topic \udc00 end' },
    });
    expect(created.json.conversation.subject).toBe('topic \ufffd end');
    expect(sanitizeFileName('photo\ud83d.png', 'image/png')).toBe('photo\ufffd.png');
  });

  it('refuses a body with nothing visible (MESSAGE_EMPTY) and keeps joiners inside emoji', async () => {
    for (const body of ['\u200b\u200c\u200d\ufeff\u2060', ' \u200d\t\u00ad\u2063 ', '\u3000\u180e\u034f']) {
      const sent = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
        token: user.token,
        body: { body },
      });
      expect(sent.status, JSON.stringify(body)).toBe(400);
      expect(sent.json.error.code).toBe('MESSAGE_EMPTY');
    }
    const family = '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}';
    const sent = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: user.token,
      body: { body: family },
    });
    expect(sent.status).toBe(201);
    expect(sent.json.body).toBe(family);
    const row = await t.database.db.supportMessage.findUniqueOrThrow({ where: { id: sent.json.id } });
    expect(row.body).toBe(family);
  });
});
