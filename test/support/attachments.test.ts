// Attachment validation (spec section 8): type from content, size from settings, EXIF/GPS gone,
// nothing stored when refused, signed URLs only for the conversation's participants.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KNOWN_ATTACHMENT_TYPES } from '../../common/settings.js';
import type { MessageDto } from '../../common/support.js';
import type { AdminPrincipal } from '../../server/platform/auth/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  ELF,
  EXE,
  HTML,
  makeDocx,
  makeGif,
  makeJpegWithGps,
  makeLargePng,
  makePdf,
  makePng,
  makeWebp,
  makeXlsx,
  SVG,
  upload,
} from '../helpers/files.js';
import { api, createAdmin, createUser, type TestAdmin, type TestUser } from '../helpers/fixtures.js';

describe('attachments', () => {
  let t: TestApp;
  let customer: TestUser;
  let stranger: TestUser;
  let agent: TestAdmin;
  let settingsAdmin: AdminPrincipal;
  let conversationId: string;

  const setSettings = (patch: { maxAttachmentSizeMB?: number; allowedAttachmentTypes?: string[] }) =>
    t.services.settings.updateSupport(settingsAdmin, {
      maxAttachmentSizeMB: 10,
      allowedAttachmentTypes: KNOWN_ATTACHMENT_TYPES.map((type) => type.mime),
      autoAssignAdmin: false,
      ...patch,
    });
  const storedFiles = () =>
    fs.existsSync(t.config.documents.storageDir)
      ? fs
          .readdirSync(t.config.documents.storageDir, { recursive: true })
          .map(String)
          .filter((f) => path.extname(f) !== '')
      : [];
  const snapshot = async () => ({
    attachments: await t.database.db.supportAttachment.count(),
    messages: await t.database.db.supportMessage.count(),
    files: storedFiles().sort(),
  });
  const storedBytes = async (message: MessageDto) => {
    const row = await t.database.db.supportAttachment.findUniqueOrThrow({
      where: { id: message.attachment?.id ?? '' },
    });
    const opened = await t.services.documents.open(row.secureStoragePath);
    const chunks: Buffer[] = [];
    for await (const chunk of opened?.stream ?? []) chunks.push(chunk as Buffer);
    return { row, data: Buffer.concat(chunks) };
  };

  beforeAll(async () => {
    t = await startTestApp();
    customer = await createUser(t.database.db, t.services.tokens, 'customer');
    stranger = await createUser(t.database.db, t.services.tokens, 'customer');
    agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
    const manager = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE']);
    settingsAdmin = {
      kind: 'admin',
      userId: manager.userId,
      adminId: manager.adminId,
      permissions: ['SETTINGS_MANAGE'],
    };
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: customer.token, body: {} });
    conversationId = created.json.conversation.id;
  });
  beforeEach(() => setSettings({}));
  afterAll(() => t.close());

  it.each([
    ['image/png', 'image', async () => ({ data: await makePng(), name: 'screen.png' })],
    ['image/jpeg', 'image', async () => ({ data: await makeJpegWithGps(), name: 'photo.jpg' })],
    ['image/webp', 'image', async () => ({ data: await makeWebp(), name: 'pic.webp' })],
    ['image/gif', 'image', async () => ({ data: await makeGif(), name: 'anim.gif' })],
    ['application/pdf', 'file', async () => ({ data: makePdf(), name: 'receipt.pdf' })],
    [KNOWN_ATTACHMENT_TYPES[5].mime, 'file', async () => ({ data: makeDocx(), name: 'letter.docx' })],
    [KNOWN_ATTACHMENT_TYPES[6].mime, 'file', async () => ({ data: makeXlsx(), name: 'sheet.xlsx' })],
  ])('accepts %s as an %s message with signed URLs', async (mime, messageType, make) => {
    const file = await make();
    const response = await upload(t.baseUrl, customer.token, conversationId, {
      ...file,
      type: 'application/octet-stream',
    });
    expect(response.status).toBe(201);
    const message = response.json as MessageDto;
    expect(message).toMatchObject({ messageType, senderType: 'user', body: null });
    expect(message.attachment).toMatchObject({ fileType: mime, fileName: file.name, isImage: messageType === 'image' });
    expect(message.attachment?.viewUrl).toMatch(/^\/api\/documents\/[A-Za-z0-9_-]{43}\?exp=\d+&disp=i&sig=/);
    expect(message.attachment?.downloadUrl).toMatch(/disp=a/);
    expect(message.attachment?.thumbnailUrl === null).toBe(messageType === 'file');
    const download = await fetch(`${t.baseUrl}${message.attachment?.downloadUrl}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(mime);
    const { row } = await storedBytes(message);
    expect(row.secureStoragePath).not.toMatch(/[/:]/);
    expect(row.fileSize).toBe(Number(download.headers.get('content-length')));
  });

  it('files follow the conversation rules of text messages (one write path)', async () => {
    const db = t.database.db;
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
      token: customer.token,
      body: { message: { body: 'first' } },
    });
    const id: string = created.json.conversation.id;
    const reply = await upload(t.baseUrl, agent.token, id, { data: makePdf(), name: 'invoice.pdf' });
    expect(reply.status).toBe(201);
    // The agent's file: the second message, the first reply assigns, the user has it unread and
    // may be told of it (outbox).
    expect(reply.json.seq).toBe(2);
    expect(await db.supportConversation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      adminId: agent.adminId,
      unreadForUser: 1,
      lastSeq: 2,
    });
    expect(await db.notificationOutbox.findFirst({ where: { conversationId: id } })).toMatchObject({
      lastMessageId: reply.json.id,
      status: 'pending',
    });
    // The user's file into a resolved conversation reopens it.
    await db.supportConversation.update({ where: { id }, data: { status: 'resolved', resolvedAt: new Date() } });
    const fromUser = await upload(t.baseUrl, customer.token, id, { data: await makePng(), name: 'x.png' });
    expect(fromUser.status).toBe(201);
    expect(fromUser.json.seq).toBe(3);
    expect(await db.supportConversation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'open',
      resolvedAt: null,
      unreadForAdmin: 2,
      lastSeq: 3,
    });
  });

  it('strips EXIF and GPS from a stored JPEG and makes a thumbnail', async () => {
    const original = await makeJpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const response = await upload(t.baseUrl, customer.token, conversationId, {
      data: original,
      name: 'gps.jpg',
      type: 'image/jpeg',
    });
    const { row, data } = await storedBytes(response.json);
    const stored = await sharp(data).metadata();
    expect(stored.format).toBe('jpeg');
    expect(stored.exif).toBeUndefined();
    expect(data.includes(Buffer.from('LeakyCam'))).toBe(false);
    expect([stored.width, stored.height, row.imageWidth, row.imageHeight]).toEqual([80, 40, 80, 40]);
    const thumbnail = await fetch(`${t.baseUrl}${response.json.attachment.thumbnailUrl}`);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
  });

  const refusals: [string, () => Promise<{ data: Buffer; name: string; type: string }>, number, string][] = [
    [
      'text with a .jpg name and image/jpeg type',
      async () => ({ data: Buffer.from('just some text, not a photo'), name: 'photo.jpg', type: 'image/jpeg' }),
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    [
      'a truncated PNG (right magic bytes, no image)',
      async () => ({ data: (await makePng()).subarray(0, 40), name: 'broken.png', type: 'image/png' }),
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    ['SVG', async () => ({ data: SVG, name: 'logo.svg', type: 'image/svg+xml' }), 415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
    [
      'SVG named .png',
      async () => ({ data: SVG, name: 'logo.png', type: 'image/png' }),
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    ['HTML', async () => ({ data: HTML, name: 'page.html', type: 'text/html' }), 415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
    [
      'HTML named .pdf',
      async () => ({ data: HTML, name: 'invoice.pdf', type: 'application/pdf' }),
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    [
      'an ELF executable',
      async () => ({ data: ELF, name: 'tool.pdf', type: 'application/pdf' }),
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    [
      'a Windows executable',
      async () => ({ data: EXE, name: 'setup.exe', type: 'application/x-msdownload' }),
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    [
      'an empty file',
      async () => ({ data: Buffer.alloc(0), name: 'empty.png', type: 'image/png' }),
      400,
      'ATTACHMENT_EMPTY',
    ],
  ];

  it.each(refusals)('refuses %s, storing nothing', async (_label, make, status, code) => {
    const before = await snapshot();
    const response = await upload(t.baseUrl, customer.token, conversationId, await make());
    expect(response.status).toBe(status);
    expect(response.json.error.code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a known type that the settings do not allow', async () => {
    await setSettings({ allowedAttachmentTypes: ['image/png', 'application/pdf'] });
    const before = await snapshot();
    const response = await upload(t.baseUrl, customer.token, conversationId, { data: await makeGif(), name: 'a.gif' });
    expect(response.status).toBe(415);
    expect(response.json.error.message).toContain('PNG image');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a missing file part and a request that is not multipart', async () => {
    const before = await snapshot();
    const noFile = await upload(t.baseUrl, customer.token, conversationId, null, { clientMessageId: 'no-file-12345' });
    expect([noFile.status, noFile.json.error.code]).toEqual([400, 'ATTACHMENT_MISSING']);
    const json = await api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/attachments`, {
      token: customer.token,
      body: { file: 'data:image/png;base64,AAAA' },
    });
    expect(json.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file over the size setting with 413, and accepts it once the setting is raised', async () => {
    await setSettings({ maxAttachmentSizeMB: 1 });
    const large = await makeLargePng(1.5 * 1024 * 1024);
    expect(large.length).toBeGreaterThan(1024 * 1024);
    const before = await snapshot();
    const refused = await upload(t.baseUrl, customer.token, conversationId, { data: large, name: 'big.png' });
    expect(refused.status).toBe(413);
    expect(refused.json.error).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', message: 'Files can be at most 1 MB.' });
    expect(await snapshot()).toEqual(before);
    await setSettings({ maxAttachmentSizeMB: 2 });
    const accepted = await upload(t.baseUrl, customer.token, conversationId, { data: large, name: 'big.png' });
    expect(accepted.status).toBe(201);
  });

  it('sanitises the file name and makes its extension match the content', async () => {
    const response = await upload(t.baseUrl, customer.token, conversationId, {
      data: makePdf(),
      name: '..\\..\\windows\\sys<32>\u202Egnp.exe',
    });
    expect(response.status).toBe(201);
    expect(response.json.attachment.fileName).toBe('sys_32_gnp.exe.pdf');
  });

  it('a retried upload with the same clientMessageId is stored once', async () => {
    const data = await makePng();
    const first = await upload(
      t.baseUrl,
      customer.token,
      conversationId,
      { data, name: 'a.png' },
      { clientMessageId: 'upload-retry-1' },
    );
    const before = await snapshot();
    const again = await upload(
      t.baseUrl,
      customer.token,
      conversationId,
      { data, name: 'a.png' },
      { clientMessageId: 'upload-retry-1' },
    );
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.json.id).toBe(first.json.id);
    expect(await snapshot()).toEqual(before);
  });

  it('only the participants get attachment URLs: other users 404, admins without SUPPORT_CHAT 403', async () => {
    const sent = await upload(t.baseUrl, customer.token, conversationId, { data: makePdf(), name: 'private.pdf' });
    const urlsPath = `/api/support/attachments/${sent.json.attachment.id}/urls`;
    const own = await api(t.baseUrl, 'GET', urlsPath, { token: customer.token });
    expect(own.status).toBe(200);
    expect(own.json.downloadUrl).toMatch(/^\/api\/documents\//);
    expect((await api(t.baseUrl, 'GET', urlsPath, { token: agent.token })).status).toBe(200);
    expect((await api(t.baseUrl, 'GET', urlsPath, { token: stranger.token })).status).toBe(404);
    const viewer = await createAdmin(t.database.db, t.services.tokens, []);
    expect((await api(t.baseUrl, 'GET', urlsPath, { token: viewer.token })).status).toBe(403);
    const intoOthers = await upload(t.baseUrl, stranger.token, conversationId, { data: makePdf(), name: 'x.pdf' });
    expect(intoOthers.status).toBe(404);
  });

  it('audits uploads with ids, type and size only, and logs no file name', async () => {
    const secretName = 'passport-of-Ottoline-Fairweather.pdf';
    const sent = await upload(t.baseUrl, customer.token, conversationId, { data: makePdf(), name: secretName });
    const audit = await t.database.db.auditLog.findFirstOrThrow({
      where: { action: 'SUPPORT_ATTACHMENT_UPLOADED', targetId: sent.json.id },
    });
    expect(audit.metadata).toEqual({
      conversationId,
      messageId: sent.json.id,
      attachmentId: sent.json.attachment.id,
      senderType: 'user',
      messageType: 'file',
      fileType: 'application/pdf',
      fileSize: makePdf().length,
    });
    expect(JSON.stringify(await t.database.db.auditLog.findMany())).not.toContain('Ottoline');
    expect(t.logText()).not.toContain('Ottoline');
  });
});
