// The settings table (one row per key, JSON value) and a typed accessor for the support settings.
// Missing keys fall back to defaults; a stored value that no longer validates falls back too,
// so a bad row can never take the chat down.
import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import { DEFAULT_SUPPORT_SETTINGS, SupportSettings } from '../../../common/settings.js';
import { type Db, poolOf } from '../../db/client.js';
import { errors } from '../../errors.js';
import { AuditAction, type AuditService } from '../audit/audit.service.js';
import type { AdminPrincipal } from '../auth/principal.js';

const SUPPORT_PREFIX = 'support.';
const SUPPORT_KEYS = Object.keys(DEFAULT_SUPPORT_SETTINGS) as (keyof SupportSettings)[];
/** Read on every conversation creation and routing round: a prepared statement, not an ORM query. */
const READ_SUPPORT_SETTINGS = {
  name: 'settings-read-support',
  text: 'SELECT key, value FROM "Setting" WHERE key = ANY($1::text[])',
  values: [SUPPORT_KEYS.map((key) => SUPPORT_PREFIX + key)],
};

export type SettingsService = ReturnType<typeof createSettingsService>;

export function createSettingsService(deps: { db: Db; audit: AuditService; logger: Logger }) {
  const { db } = deps;

  // Reads asked for in the same tick (a burst of creations, a routing round) share one query;
  // nothing is cached between ticks, so a change counts from the next request on.
  const reads = new DataLoader<'support', { key: string; value: unknown }[]>(
    async (keys) => {
      const { rows } = await poolOf(db).query<{ key: string; value: unknown }>(READ_SUPPORT_SETTINGS);
      return keys.map(() => rows);
    },
    { cache: false },
  );

  async function getSupport(): Promise<SupportSettings> {
    const rows = await reads.load('support');
    const stored: Record<string, unknown> = {};
    for (const row of rows) stored[row.key.slice(SUPPORT_PREFIX.length)] = row.value;
    const settings = { ...DEFAULT_SUPPORT_SETTINGS };
    for (const key of SUPPORT_KEYS) {
      if (!(key in stored)) continue;
      const field = SupportSettings.shape[key].safeParse(stored[key]);
      if (field.success) Object.assign(settings, { [key]: field.data });
      else deps.logger.warn({ key: SUPPORT_PREFIX + key }, 'stored setting is invalid; using the default');
    }
    return settings;
  }

  return {
    getSupport,

    /** Validates the whole object, writes the changed keys in one transaction and audits them. */
    async updateSupport(actor: AdminPrincipal, input: unknown): Promise<SupportSettings> {
      const parsed = SupportSettings.safeParse(input);
      if (!parsed.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '_');
          fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
        }
        throw errors.validation('Some settings are not valid.', { fieldErrors });
      }
      const next = parsed.data;
      const current = await getSupport();
      const changedKeys = SUPPORT_KEYS.filter((key) => JSON.stringify(current[key]) !== JSON.stringify(next[key]));
      if (changedKeys.length === 0) return current;
      await db.$transaction(async (tx) => {
        for (const key of changedKeys) {
          await tx.setting.upsert({
            where: { key: SUPPORT_PREFIX + key },
            create: { key: SUPPORT_PREFIX + key, value: next[key], updatedById: actor.adminId },
            update: { value: next[key], updatedById: actor.adminId },
          });
        }
        await deps.audit.log(
          AuditAction.SETTINGS_UPDATED,
          actor,
          { type: 'Setting', id: 'support' },
          { changedKeys: changedKeys.map((key) => SUPPORT_PREFIX + key) },
          tx,
        );
      });
      return getSupport();
    },
  };
}
