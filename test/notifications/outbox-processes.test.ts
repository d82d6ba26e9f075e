// The outbox across real server processes (server/main.ts) sharing one database and one SMTP
// server: a reply committed by a process that is then SIGKILLed is delivered once by the processes
// that run afterwards, and two processes draining the same rows never both deliver one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { api, createAdmin, createUser } from '../helpers/fixtures.js';
import { seedDueNotifications } from '../helpers/outbox-seed.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import { sleep } from '../helpers/sockets.js';

const BULK = 300;

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(50);
  }
}

describe('notification outbox across server processes', () => {
  let database: TestDatabase;
  let smtp: TestSmtp;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  const env = (name: string) => ({
    DATABASE_URL: database.url,
    SMTP_URL: smtp.url,
    EMAIL_FROM: `Node ${name} <${name}@nodes.test>`,
    NOTIFICATION_POLL_INTERVAL_MS: '50',
  });

  beforeAll(async () => {
    [database, smtp] = await Promise.all([createTestDatabase(), startTestSmtp()]);
    // Replies become due 2 s after they are stored.
    await database.db.setting.create({ data: { key: 'notifications.delaySeconds', value: 2 } });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await smtp?.close();
    await database?.drop();
  });

  it('a reply stored by a process killed (SIGKILL) before delivery is delivered once after restart', async () => {
    const tokens = createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 });
    const driver = await createUser(database.db, tokens, 'driver');
    const agent = await createAdmin(database.db, tokens, ['SUPPORT_CHAT']);
    const doomed = await startServerProcess(env('doomed'));
    const created = await api(doomed.baseUrl, 'POST', '/api/support/conversations', {
      token: driver.token,
      body: { subject: 'Crash test' },
    });
    const conversationId = created.json.conversation.id;
    const sent = await api(doomed.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
      token: agent.token,
      body: { body: 'answer before the crash' },
    });
    expect(sent.status).toBe(201);
    await doomed.kill('SIGKILL');
    const [row] = await database.db.notificationOutbox.findMany({ where: { conversationId } });
    expect(row?.status).toBe('pending');
    expect(smtp.messages).toHaveLength(0);

    [nodeA, nodeB] = await Promise.all([startServerProcess(env('a')), startServerProcess(env('b'))]);
    const forRow = () => smtp.messages.filter((mail) => mail.headers.get('x-notification-id') === row?.id);
    await until(() => forRow().length > 0, 15_000);
    await sleep(500);
    expect(forRow()).toHaveLength(1);
    expect(forRow()[0]?.to).toEqual([driver.email]);
    expect((await database.db.notificationOutbox.findUnique({ where: { id: row?.id ?? '' } }))?.status).toBe('sent');
  }, 90_000);

  it(`two processes drain ${BULK} due notifications without delivering any twice`, async () => {
    smtp.messages.length = 0;
    await seedDueNotifications(database.db, BULK);
    const done = async () =>
      (await database.db.notificationOutbox.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0;
    await until(done, 30_000);
    await sleep(300);
    const ids = smtp.messages.map((mail) => mail.headers.get('x-notification-id'));
    expect(ids).toHaveLength(BULK);
    expect(new Set(ids).size).toBe(BULK);
    expect(await database.db.notificationOutbox.count({ where: { status: 'sent' } })).toBe(BULK + 1);
    // Both processes took part (each signs with its own sender).
    const senders = new Set(smtp.messages.map((mail) => mail.from));
    expect(senders).toEqual(new Set(['a@nodes.test', 'b@nodes.test']));
  }, 60_000);
});
