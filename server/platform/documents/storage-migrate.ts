// Copies every document of one store into another (npm run storage:migrate: the local folder into
// the S3 bucket, before switching STORAGE_DRIVER to s3). Resumable and idempotent: a document the
// target already holds with the same size is skipped, so a run that stopped half-way is simply
// run again; the source is never changed.
import type { DocumentStorage } from './storage.js';

export type MigrationReport = { copied: number; skipped: number; failed: number };

export async function copyDocuments(
  from: DocumentStorage,
  to: DocumentStorage,
  onProgress: (report: MigrationReport) => void = () => {},
): Promise<MigrationReport> {
  const report: MigrationReport = { copied: 0, skipped: 0, failed: 0 };
  for await (const key of from.keys()) {
    try {
      const source = await from.open(key);
      if (!source) continue;
      const existing = await to.open(key);
      if (existing) existing.stream.destroy();
      if (existing && existing.meta.size === source.meta.size) {
        source.stream.destroy();
        report.skipped += 1;
      } else {
        await to.put(key, source.stream, { contentType: source.meta.contentType, fileName: source.meta.fileName });
        report.copied += 1;
      }
    } catch {
      // Keys only in the report: the next run tries again.
      report.failed += 1;
    }
    onProgress(report);
  }
  return report;
}
