// Documents in an S3 bucket: AWS S3, or an S3-compatible server (MinIO, Ceph, …) with an endpoint
// and path-style addressing. The same put/open/remove contract as the local disk, so the signed-URL
// route (documents.routes.ts) serves both: downloads stream through the server, which keeps one
// URL scheme with its expiry, disposition, content type and security headers, and the bucket
// stays private (no public access, no CORS). Uploads stream to the bucket in parts
// (@aws-sdk/lib-storage); nothing holds a whole file beyond what the image re-encode needs.
// Credentials come from the standard AWS chain (environment, shared files, instance roles).

import { PassThrough, Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { DocumentStorage, StoredDocumentMeta } from './storage.js';

export type S3StorageOptions = {
  bucket: string;
  region: string;
  /** For S3-compatible servers, e.g. http://minio:9000. */
  endpoint?: string | undefined;
  /** bucket in the path (http://host/bucket/key) instead of the host name: most S3-compatible servers. */
  forcePathStyle: boolean;
};

/** User metadata travels as HTTP headers: the original file name is percent-encoded there. */
const FILE_NAME_KEY = 'file-name';

export function createS3Client(options: S3StorageOptions): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    // Checksums only where S3 requires them: S3-compatible servers do not all accept the SDK's
    // default streaming checksum trailers; TLS and the ETag still protect the bytes.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function createS3Storage(options: S3StorageOptions, client = createS3Client(options)): DocumentStorage {
  const { bucket } = options;

  return {
    async put(key, body, meta) {
      let size = 0;
      const counted = new PassThrough();
      counted.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      (Buffer.isBuffer(body) ? Readable.from([body]) : body)
        .on('error', (error) => counted.destroy(error))
        .pipe(counted);
      await new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: key,
          Body: counted,
          ContentType: meta.contentType,
          Metadata: { [FILE_NAME_KEY]: encodeURIComponent(meta.fileName) },
        },
      }).done();
      return { ...meta, size };
    },

    async open(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const meta: StoredDocumentMeta = {
          contentType: object.ContentType ?? 'application/octet-stream',
          fileName: decodeURIComponent(object.Metadata?.[FILE_NAME_KEY] ?? key),
          size: object.ContentLength ?? 0,
        };
        return { stream: object.Body as Readable, meta };
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },

    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async *keys() {
      for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket })) {
        for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
      }
    },

    async check() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
