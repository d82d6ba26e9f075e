// The storage contract, run against both drivers: the local disk and S3 (an S3-compatible server,
// s3rver, started here). Then the whole app on S3 (upload, thumbnail, signed download, readiness)
// and npm run storage:migrate's copy (resumable, idempotent).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDto } from '../../common/support.js';
import { createS3Storage } from '../../server/platform/documents/s3-storage.js';
import { createLocalDiskStorage, type DocumentStorage } from '../../server/platform/documents/storage.js';
import { copyDocuments } from '../../server/platform/documents/storage-migrate.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { makePng, upload } from '../helpers/files.js';
import { api, createUser } from '../helpers/fixtures.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';

let s3: TestS3;
const folders: string[] = [];
const tempFolder = () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-storage-'));
  folders.push(folder);
  return folder;
};

beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.close();
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

describe.each([
  ['local disk', () => createLocalDiskStorage(tempFolder())],
  ['S3', () => createS3Storage(s3.options)],
])('the %s driver', (_name, make: () => DocumentStorage) => {
  let storage: DocumentStorage;
  beforeAll(() => {
    storage = make();
  });

  it('stores a buffer and a stream with their metadata, and gives them back', async () => {
    const fromBuffer = await storage.put('key-buffer', Buffer.from('%PDF-1.4 buffer'), {
      contentType: 'application/pdf',
      fileName: 'reçu n°1.pdf',
    });
    expect(fromBuffer).toEqual({ contentType: 'application/pdf', fileName: 'reçu n°1.pdf', size: 15 });
    const parts = Array.from({ length: 64 }, (_, i) => Buffer.alloc(16 * 1024, i));
    const fromStream = await storage.put('key-stream', Readable.from(parts), {
      contentType: 'image/png',
      fileName: 'photo.png',
    });
    expect(fromStream.size).toBe(64 * 16 * 1024);

    const opened = await storage.open('key-buffer');
    expect(opened?.meta).toEqual(fromBuffer);
    expect(await text(opened?.stream as Readable)).toBe('%PDF-1.4 buffer');
    const streamed = await storage.open('key-stream');
    if (!streamed) throw new Error('the streamed document is missing');
    const chunks: Buffer[] = [];
    for await (const chunk of streamed.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(Buffer.concat(parts))).toBe(true);

    const keys: string[] = [];
    for await (const key of storage.keys()) keys.push(key);
    expect(keys).toEqual(expect.arrayContaining(['key-buffer', 'key-stream']));
    await expect(storage.check()).resolves.toBeUndefined();
  });

  it('answers null for a missing key, and removes (twice is fine)', async () => {
    expect(await storage.open('no-such-key')).toBeNull();
    await storage.put('key-removed', Buffer.from('x'), { contentType: 'text/plain', fileName: 'x.txt' });
    await storage.remove('key-removed');
    await storage.remove('key-removed');
    expect(await storage.open('key-removed')).toBeNull();
  });
});

describe('the app with STORAGE_DRIVER=s3', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(s3.env);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores an image and its thumbnail in the bucket and serves both through signed URLs', async () => {
    const customer = await createUser(t.database.db, t.services.tokens, 'customer');
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: customer.token, body: {} });
    const conversationId = (created.json as { conversation: { id: string } }).conversation.id;
    const uploaded = await upload(t.baseUrl, customer.token, conversationId, {
      data: await makePng(),
      name: 'bike.png',
    });
    expect(uploaded.status).toBe(201);
    const message = uploaded.json as MessageDto;
    const row = await t.database.db.supportAttachment.findFirstOrThrow({ where: { id: message.attachment?.id } });
    const client = s3.client();
    for (const key of [row.secureStoragePath, row.thumbnailStoragePath]) {
      const head = await client.send(new HeadObjectCommand({ Bucket: s3.options.bucket, Key: key ?? '' }));
      expect(head.ContentLength).toBeGreaterThan(0);
    }
    const download = await fetch(`${t.baseUrl}${message.attachment?.downloadUrl}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toContain('attachment');
    expect(Number(download.headers.get('content-length'))).toBe(row.fileSize);
    const thumbnail = await fetch(`${t.baseUrl}${message.attachment?.thumbnailUrl}`);
    expect(thumbnail.status).toBe(200);

    const ready = await api(t.baseUrl, 'GET', '/api/health/ready');
    expect(ready.json).toMatchObject({ ok: true, checks: { storage: 'ok' } });
  });
});

describe('storage:migrate (copyDocuments)', () => {
  it('copies the local folder into the bucket, and a second run copies nothing', async () => {
    const local = createLocalDiskStorage(tempFolder());
    for (const key of ['migrate-a', 'migrate-b', 'migrate-c']) {
      await local.put(key, Buffer.from(`bytes of ${key}`), { contentType: 'text/plain', fileName: `${key}.txt` });
    }
    const bucket = createS3Storage({ ...s3.options });
    // One was copied by an earlier run that stopped half-way.
    await bucket.put('migrate-a', Buffer.from('bytes of migrate-a'), {
      contentType: 'text/plain',
      fileName: 'migrate-a.txt',
    });

    expect(await copyDocuments(local, bucket)).toEqual({ copied: 2, skipped: 1, failed: 0 });
    const copied = await bucket.open('migrate-c');
    expect(copied?.meta).toEqual({ contentType: 'text/plain', fileName: 'migrate-c.txt', size: 18 });
    expect(await text(copied?.stream as Readable)).toBe('bytes of migrate-c');
    expect(await copyDocuments(local, bucket)).toEqual({ copied: 0, skipped: 3, failed: 0 });
  });
});
