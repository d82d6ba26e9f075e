// npm run storage:migrate — copies the uploaded files from the local folder (STORAGE_DIR, or
// DATA_DIR/storage) into the S3 bucket configured by S3_BUCKET, S3_REGION, S3_ENDPOINT and
// S3_FORCE_PATH_STYLE (credentials from the standard AWS chain). Run it before switching
// STORAGE_DRIVER to s3, and again right after (it copies only what is missing).
import { loadConfig } from '../server/config.js';
import { createS3Storage } from '../server/platform/documents/s3-storage.js';
import { createLocalDiskStorage } from '../server/platform/documents/storage.js';
import { copyDocuments } from '../server/platform/documents/storage-migrate.js';

const config = loadConfig();
if (!config.documents.s3.bucket) {
  console.error('Set S3_BUCKET (and S3_REGION, S3_ENDPOINT, S3_FORCE_PATH_STYLE as needed) to the target bucket.');
  process.exit(2);
}
const from = createLocalDiskStorage(config.documents.storageDir);
const to = createS3Storage(config.documents.s3);
await to.check();
const report = await copyDocuments(from, to, (progress) => {
  const done = progress.copied + progress.skipped + progress.failed;
  if (done % 100 === 0) console.log(`${done} documents: ${JSON.stringify(progress)}`);
});
console.log(`Done: ${report.copied} copied, ${report.skipped} already there, ${report.failed} failed.`);
process.exit(report.failed > 0 ? 1 : 0);
