// Support settings: typed defaults, validation (400 with field errors, nothing saved), RBAC, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUPPORT_SETTINGS } from '../../common/settings.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestAdmin } from '../helpers/fixtures.js';

describe('support settings', () => {
  let t: TestApp;
  let manager: TestAdmin;
  let supportAgent: TestAdmin;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await createAdmin(t.database.db, t.services.tokens, ['SETTINGS_MANAGE']);
    supportAgent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
  });
  afterAll(() => t.close());

  const path = '/api/admin/settings/support';

  it('returns the defaults before anything is saved', async () => {
    const response = await api(t.baseUrl, 'GET', path, { token: manager.token });
    expect(response.status).toBe(200);
    expect(response.json).toEqual(DEFAULT_SUPPORT_SETTINGS);
  });

  it('saves valid settings, stores one row per key and audits the changed keys only', async () => {
    const next = {
      maxAttachmentSizeMB: 5,
      allowedAttachmentTypes: ['image/png', 'application/pdf'],
      autoAssignAdmin: false,
      // Routing settings left at their defaults: not stored.
      maxOpenConversationsPerAgent: 5,
      agentOfflineGraceSeconds: 60,
    };
    const response = await api(t.baseUrl, 'PUT', path, { token: manager.token, body: next });
    expect(response.status).toBe(200);
    expect(response.json).toEqual(next);
    expect(await t.services.settings.getSupport()).toEqual(next);
    const rows = await t.database.db.setting.findMany({ orderBy: { key: 'asc' } });
    expect(rows.map((r) => [r.key, r.value, r.updatedById])).toEqual([
      ['support.allowedAttachmentTypes', ['image/png', 'application/pdf'], manager.adminId],
      ['support.maxAttachmentSizeMB', 5, manager.adminId],
    ]);
    const audit = await t.database.db.auditLog.findMany({ where: { action: 'SETTINGS_UPDATED' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorType: 'admin',
      actorId: manager.userId,
      metadata: { changedKeys: ['support.maxAttachmentSizeMB', 'support.allowedAttachmentTypes'] },
    });
  });

  it.each([
    [{ maxAttachmentSizeMB: 0, allowedAttachmentTypes: ['image/png'], autoAssignAdmin: true }, 'maxAttachmentSizeMB'],
    [{ maxAttachmentSizeMB: 51, allowedAttachmentTypes: ['image/png'], autoAssignAdmin: true }, 'maxAttachmentSizeMB'],
    [{ maxAttachmentSizeMB: 2.5, allowedAttachmentTypes: ['image/png'], autoAssignAdmin: true }, 'maxAttachmentSizeMB'],
    [
      { maxAttachmentSizeMB: '10', allowedAttachmentTypes: ['image/png'], autoAssignAdmin: true },
      'maxAttachmentSizeMB',
    ],
    [{ maxAttachmentSizeMB: 10, allowedAttachmentTypes: [], autoAssignAdmin: true }, 'allowedAttachmentTypes'],
    [
      { maxAttachmentSizeMB: 10, allowedAttachmentTypes: ['image/svg+xml'], autoAssignAdmin: true },
      'allowedAttachmentTypes.0',
    ],
    [
      { maxAttachmentSizeMB: 10, allowedAttachmentTypes: ['text/html'], autoAssignAdmin: true },
      'allowedAttachmentTypes.0',
    ],
    [
      { maxAttachmentSizeMB: 10, allowedAttachmentTypes: ['image/png', 'image/png'], autoAssignAdmin: true },
      'allowedAttachmentTypes',
    ],
    [{ maxAttachmentSizeMB: 10, allowedAttachmentTypes: ['image/png'], autoAssignAdmin: 'yes' }, 'autoAssignAdmin'],
    [{ maxAttachmentSizeMB: 10, allowedAttachmentTypes: ['image/png'] }, 'autoAssignAdmin'],
  ])('refuses %j with 400 and a message for %s, saving nothing', async (body, field) => {
    const before = await t.database.db.setting.findMany({ orderBy: { key: 'asc' } });
    const response = await api(t.baseUrl, 'PUT', path, { token: manager.token, body });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('VALIDATION_FAILED');
    expect(response.json.error.details.fieldErrors[field]?.[0]).toEqual(expect.any(String));
    expect(await t.database.db.setting.findMany({ orderBy: { key: 'asc' } })).toEqual(before);
  });

  it('the service refuses bad values too, with every field reported at once', async () => {
    const admin = {
      kind: 'admin' as const,
      userId: manager.userId,
      adminId: manager.adminId,
      permissions: ['SETTINGS_MANAGE' as const],
    };
    await expect(
      t.services.settings.updateSupport(admin, {
        maxAttachmentSizeMB: -1,
        allowedAttachmentTypes: 'png',
        autoAssignAdmin: 1,
      }),
    ).rejects.toMatchObject({
      status: 400,
      details: {
        fieldErrors: {
          maxAttachmentSizeMB: [expect.any(String)],
          allowedAttachmentTypes: [expect.any(String)],
          autoAssignAdmin: [expect.any(String)],
        },
      },
    });
  });

  it('falls back to the default when a stored value is corrupt', async () => {
    await t.database.db.setting.upsert({
      where: { key: 'support.autoAssignAdmin' },
      create: { key: 'support.autoAssignAdmin', value: 'maybe' },
      update: { value: 'maybe' },
    });
    expect((await t.services.settings.getSupport()).autoAssignAdmin).toBe(DEFAULT_SUPPORT_SETTINGS.autoAssignAdmin);
    await t.database.db.setting.delete({ where: { key: 'support.autoAssignAdmin' } });
  });

  it('needs SETTINGS_MANAGE: support agents, users and anonymous callers are refused', async () => {
    const driver = await createUser(t.database.db, t.services.tokens, 'driver');
    const body = DEFAULT_SUPPORT_SETTINGS;
    for (const token of [supportAgent.token, driver.token]) {
      expect((await api(t.baseUrl, 'GET', path, { token })).status).toBe(403);
      expect((await api(t.baseUrl, 'PUT', path, { token, body })).status).toBe(403);
    }
    expect((await api(t.baseUrl, 'GET', path)).status).toBe(401);
    expect((await api(t.baseUrl, 'PUT', path, { body })).status).toBe(401);
  });
});
