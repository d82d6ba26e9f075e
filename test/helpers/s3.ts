// An S3-compatible server for tests (s3rver, in a temporary folder), with a client for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { createS3Client, type S3StorageOptions } from '../../server/platform/documents/s3-storage.js';

/** s3rver accepts these (any would do; the SDK needs some). */
export const S3_TEST_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export type TestS3 = {
  options: S3StorageOptions;
  /** The environment a server process needs to use this bucket. */
  env: Record<string, string>;
  client(): ReturnType<typeof createS3Client>;
  close(): Promise<void>;
};

export async function startTestS3(bucket = 'support-chat-test'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const options: S3StorageOptions = { bucket, region: 'us-east-1', endpoint, forcePathStyle: true };
  for (const [name, value] of Object.entries(S3_TEST_CREDENTIALS)) process.env[name] ??= value;
  return {
    options,
    env: {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_REGION: 'us-east-1',
      ...S3_TEST_CREDENTIALS,
    },
    client: () => createS3Client(options),
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
