// The audit log keeps ids, types and sizes, and never a message body, file name, e-mail, phone or
// name: neither in the AuditLog table nor in the application log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeAuditMetadata } from '../../server/platform/audit/audit.service.js';
import type { Principal } from '../../server/platform/auth/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';

const PERSONAL = {
  body: 'My card 4111 1111 1111 1111 was charged twice',
  fileName: 'passport-scan-emma-wilson.jpg',
  email: 'emma.wilson@example.com',
  phone: '+44 7700 900201',
  name: 'Emma Wilson',
};

describe('audit', () => {
  let t: TestApp;
  let actor: Principal;

  beforeAll(async () => {
    t = await startTestApp();
    const user = await createUser(t.database.db, t.services.tokens, 'customer');
    actor = { kind: 'user', userId: user.userId, userType: 'customer' };
  });
  afterAll(() => t.close());

  it('keeps allowed keys with id-, type- and size-like values', () => {
    const { kept, dropped } = sanitizeAuditMetadata({
      conversationId: '6f1c1f8e-6a8a-4d0e-9d3b-0c1f4a1d2e3f',
      messageType: 'image',
      fileType: 'image/jpeg',
      fileSize: 123456,
      changedKeys: ['support.maxAttachmentSizeMB'],
      autoAssigned: true,
    });
    expect(dropped).toEqual([]);
    expect(kept).toMatchObject({ fileType: 'image/jpeg', fileSize: 123456, autoAssigned: true });
  });

  it('drops unknown keys and allowed keys whose value looks like personal data', () => {
    const { kept, dropped } = sanitizeAuditMetadata({
      ...PERSONAL,
      fileType: 'emma.wilson@example.com',
      status: '+44 7700 900201',
      userType: 'Emma Wilson',
      changedKeys: ['ok', 'two words'],
      messageId: { nested: 'object' },
    });
    expect(kept).toEqual({});
    expect(dropped.sort()).toEqual(
      [
        'body',
        'fileName',
        'email',
        'phone',
        'name',
        'fileType',
        'status',
        'userType',
        'changedKeys',
        'messageId',
      ].sort(),
    );
  });

  it('writes the row without the personal data and logs only the dropped key names', async () => {
    await t.services.audit.log(
      'SUPPORT_MESSAGE_SENT',
      actor,
      { type: 'SupportMessage', id: '0b7a4c9e-1d2f-4e3a-8b5c-6d7e8f9a0b1c' },
      // Callers are typed against the allow-list; this simulates a careless caller.
      { bodyLength: 44, ...(PERSONAL as Record<string, string>) } as never,
    );
    const rows = await t.database.db.auditLog.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'SUPPORT_MESSAGE_SENT',
      actorType: 'user',
      actorId: actor.userId,
      targetType: 'SupportMessage',
      metadata: { bodyLength: 44 },
    });
    const table = JSON.stringify(rows);
    const log = t.logText();
    expect(log).toContain('audit metadata dropped');
    for (const value of Object.values(PERSONAL)) {
      expect(table).not.toContain(value);
      expect(log).not.toContain(value);
    }
  });

  it('redacts personal-data keys anywhere in an application log line', () => {
    t.app.log.info(
      { user: { email: PERSONAL.email, phone: PERSONAL.phone, fullName: PERSONAL.name }, body: PERSONAL.body },
      'careless line',
    );
    const line =
      t
        .logText()
        .split('\n')
        .find((l) => l.includes('careless line')) ?? '';
    expect(line).toContain('[redacted]');
    for (const value of [PERSONAL.email, PERSONAL.phone, PERSONAL.name, PERSONAL.body])
      expect(line).not.toContain(value);
  });
});
