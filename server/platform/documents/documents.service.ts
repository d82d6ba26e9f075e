// The signed-document-url service. Files are stored under opaque random keys and are only ever
// reachable through a URL that expires and whose HMAC binds the key, the expiry and the
// disposition. Nothing stores or returns a permanent file URL.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ErrorCode } from '../../../common/errors.js';
import { AppError } from '../../errors.js';
import type { DocumentStorage, StoredDocumentMeta } from './storage.js';

export type Disposition = 'inline' | 'attachment';
export const DOCUMENTS_PATH = '/api/documents';
/** 32 random bytes, base64url: unguessable and safe in a path. */
export const DOCUMENT_KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const DISPOSITION_CODE: Record<Disposition, 'i' | 'a'> = { inline: 'i', attachment: 'a' };

export type SignedUrl = { url: string; expiresAt: Date };
export type DocumentsService = ReturnType<typeof createDocumentsService>;

export function createDocumentsService(deps: { storage: DocumentStorage; urlSecret: string; ttlSeconds: number }) {
  const sign = (key: string, expires: number, disposition: 'i' | 'a') =>
    createHmac('sha256', deps.urlSecret).update(`${key}\n${expires}\n${disposition}`).digest('base64url');

  return {
    ttlSeconds: deps.ttlSeconds,

    /** Stores the bytes under a new opaque key. */
    async store(body: Buffer | Readable, meta: Omit<StoredDocumentMeta, 'size'>) {
      const key = randomBytes(32).toString('base64url');
      const stored = await deps.storage.put(key, body, meta);
      return { key, ...stored };
    },

    remove: (key: string) => deps.storage.remove(key),

    signedUrl(key: string, disposition: Disposition, ttlSeconds = deps.ttlSeconds, now = Date.now()): SignedUrl {
      const expires = Math.floor(now / 1000) + ttlSeconds;
      const code = DISPOSITION_CODE[disposition];
      const query = new URLSearchParams({ exp: String(expires), disp: code, sig: sign(key, expires, code) });
      return { url: `${DOCUMENTS_PATH}/${key}?${query}`, expiresAt: new Date(expires * 1000) };
    },

    /** Checks a signed URL's parts; throws 403 SIGNATURE_INVALID / SIGNATURE_EXPIRED. */
    verify(key: string, query: { exp?: string; disp?: string; sig?: string }): Disposition {
      const invalid = () => new AppError(403, ErrorCode.SIGNATURE_INVALID, 'This link is not valid.');
      const expires = Number(query.exp);
      if (!DOCUMENT_KEY_PATTERN.test(key) || !Number.isSafeInteger(expires) || !query.sig) throw invalid();
      if (query.disp !== 'i' && query.disp !== 'a') throw invalid();
      const expected = Buffer.from(sign(key, expires, query.disp));
      const given = Buffer.from(query.sig);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
      if (expires * 1000 < Date.now()) {
        throw new AppError(
          403,
          ErrorCode.SIGNATURE_EXPIRED,
          'This link has expired. Open the file again from the chat.',
        );
      }
      return query.disp === 'i' ? 'inline' : 'attachment';
    },

    open: (key: string) => deps.storage.open(key),

    /** Throws unless the store answers (readiness: the bucket with the s3 driver). */
    checkStorage: () => deps.storage.check(),
  };
}
