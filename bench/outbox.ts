// npm run bench:outbox
// BENCH_OUTBOX due notifications (default 10,000) drained by two real server processes
// (server/main.ts) sharing one database, delivering by e-mail to a local SMTP server. Reports the
// time to drain, throughput, how the work split between the processes, and duplicates (the same
// notification id received twice; goal 0).
import { performance } from 'node:perf_hooks';
import { startScratchPostgres } from '../scripts/scratch-postgres.js';
import { createDb } from '../server/db/client.js';
import { applyMigrations } from '../server/db/migrator.js';
import { seedDueNotifications } from '../test/helpers/outbox-seed.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { startTestSmtp } from '../test/helpers/smtp.js';

const COUNT = Number(process.env.BENCH_OUTBOX ?? 10_000);

const postgres = await startScratchPostgres();
const database = `bench_outbox_${process.pid}`;
const smtp = await startTestSmtp();
try {
  const url = await postgres.createDatabase(database);
  await applyMigrations({ databaseUrl: url });
  const db = createDb(url);
  const env = (name: string) => ({
    DATABASE_URL: url,
    SMTP_URL: smtp.url,
    EMAIL_FROM: `Node ${name} <${name}@nodes.test>`,
    NOTIFICATION_POLL_INTERVAL_MS: '100',
  });
  const nodes = await Promise.all([startServerProcess(env('a')), startServerProcess(env('b'))]);
  try {
    await seedDueNotifications(db, COUNT);
    const started = performance.now();
    for (;;) {
      const open = await db.notificationOutbox.count({ where: { status: { in: ['pending', 'sending'] } } });
      if (open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const ids = smtp.messages.map((mail) => mail.headers.get('x-notification-id'));
    const perNode = new Map<string, number>();
    for (const mail of smtp.messages) perNode.set(mail.from, (perNode.get(mail.from) ?? 0) + 1);
    const statuses = await db.notificationOutbox.groupBy({ by: ['status'], _count: true });
    console.log(`notifications:   ${COUNT}`);
    console.log(`drained in:      ${seconds.toFixed(1)} s (polling every 100 ms, 2 processes)`);
    console.log(`throughput:      ${Math.round(COUNT / seconds)} notifications/s`);
    console.log(`received:        ${ids.length} e-mails, ${new Set(ids).size} distinct`);
    console.log(`duplicates:      ${ids.length - new Set(ids).size}`);
    console.log(`per process:     ${[...perNode].map(([from, n]) => `${from} ${n}`).join(', ')}`);
    console.log(`outbox statuses: ${statuses.map((s) => `${s.status} ${s._count}`).join(', ')}`);
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await db.$disconnect();
  }
} finally {
  await smtp.close();
  await postgres.stop();
}
