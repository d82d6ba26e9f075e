// Where document bytes live: the local disk (the default, this file) or an S3 bucket
// (s3-storage.ts), behind one interface (put/open/remove by key). Both are served through the
// documents service's HMAC-signed URLs.
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Kept with the bytes, like object metadata in S3. */
export type StoredDocumentMeta = { contentType: string; fileName: string; size: number };

export interface DocumentStorage {
  put(key: string, body: Buffer | Readable, meta: Omit<StoredDocumentMeta, 'size'>): Promise<StoredDocumentMeta>;
  open(key: string): Promise<{ stream: Readable; meta: StoredDocumentMeta } | null>;
  remove(key: string): Promise<void>;
  /** Keys of every stored document (for copying a store into another). */
  keys(): AsyncIterable<string>;
  /** Throws unless the store answers (readiness); a local folder always does. */
  check(): Promise<void>;
}

/**
 * Readable by the server's own user only: the files are users' documents and the sidecars hold
 * their original names. Explicit modes, so no process umask decides.
 */
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/** Files under `root`, sharded by the key's first two characters; metadata in a sidecar JSON. */
export function createLocalDiskStorage(root: string): DocumentStorage {
  const fileFor = (key: string) => path.join(root, key.slice(0, 2), key);
  const metaFor = (key: string) => `${fileFor(key)}.json`;

  return {
    async put(key, body, meta) {
      const file = fileFor(key);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: DIRECTORY_MODE });
      // Write under a temporary name and rename, so a reader never sees half a file.
      const temporary = `${file}.${process.pid}.partial`;
      try {
        await pipeline(
          Buffer.isBuffer(body) ? Readable.from([body]) : body,
          createWriteStream(temporary, { flags: 'wx', mode: FILE_MODE }),
        );
        const { size } = await fs.stat(temporary);
        const stored = { ...meta, size };
        await fs.writeFile(metaFor(key), JSON.stringify(stored), { mode: FILE_MODE });
        await fs.rename(temporary, file);
        return stored;
      } catch (error) {
        await fs.rm(temporary, { force: true });
        await fs.rm(metaFor(key), { force: true });
        throw error;
      }
    },

    async open(key) {
      try {
        const meta = JSON.parse(await fs.readFile(metaFor(key), 'utf8')) as StoredDocumentMeta;
        await fs.access(fileFor(key));
        return { stream: createReadStream(fileFor(key)), meta };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },

    async remove(key) {
      await fs.rm(fileFor(key), { force: true });
      await fs.rm(metaFor(key), { force: true });
    },

    async *keys() {
      const shards = await fs.readdir(root).catch(() => [] as string[]);
      for (const shard of shards.sort()) {
        const names = await fs.readdir(path.join(root, shard)).catch(() => [] as string[]);
        // A document is its bytes plus the sidecar; half-written (.partial) files are not one.
        for (const name of names.sort()) if (!name.includes('.')) yield name;
      }
    },

    async check() {},
  };
}
