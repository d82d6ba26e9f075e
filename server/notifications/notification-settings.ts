// The notification settings in the settings table (keys "notifications.*"): how long a reply
// may stay unread before the user is told, and whether notifications quote the reply (off by
// default: message text is personal data and leaves the system with it).
import { NotificationSettings } from '../../common/notifications.js';
import type { Db } from '../db/client.js';
import { AuditAction, type AuditService } from '../platform/audit/audit.service.js';
import type { AdminPrincipal } from '../platform/auth/principal.js';
import { DEFAULT_NOTIFICATION_DELAY_SECONDS, NOTIFICATION_DELAY_KEY, NOTIFICATION_PREVIEW_KEY } from './outbox.js';

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  delaySeconds: DEFAULT_NOTIFICATION_DELAY_SECONDS,
  includePreview: false,
};

export type NotificationSettingsStore = ReturnType<typeof createNotificationSettings>;

export function createNotificationSettings(deps: { db: Db; audit: AuditService }) {
  const { db } = deps;
  return {
    async get(): Promise<NotificationSettings> {
      const rows = await db.setting.findMany({
        where: { key: { in: [NOTIFICATION_DELAY_KEY, NOTIFICATION_PREVIEW_KEY] } },
      });
      const value = (key: string) => rows.find((row) => row.key === key)?.value;
      const delay = NotificationSettings.shape.delaySeconds.safeParse(value(NOTIFICATION_DELAY_KEY));
      const preview = NotificationSettings.shape.includePreview.safeParse(value(NOTIFICATION_PREVIEW_KEY));
      return {
        delaySeconds: delay.success ? delay.data : DEFAULT_NOTIFICATION_SETTINGS.delaySeconds,
        includePreview: preview.success ? preview.data : DEFAULT_NOTIFICATION_SETTINGS.includePreview,
      };
    },

    async update(actor: AdminPrincipal, next: NotificationSettings): Promise<NotificationSettings> {
      await db.$transaction(async (tx) => {
        for (const [key, value] of [
          [NOTIFICATION_DELAY_KEY, next.delaySeconds],
          [NOTIFICATION_PREVIEW_KEY, next.includePreview],
        ] as const) {
          await tx.setting.upsert({
            where: { key },
            create: { key, value, updatedById: actor.adminId },
            update: { value, updatedById: actor.adminId },
          });
        }
        await deps.audit.log(
          AuditAction.SETTINGS_UPDATED,
          actor,
          { type: 'Setting', id: 'notifications' },
          { changedKeys: [NOTIFICATION_DELAY_KEY, NOTIFICATION_PREVIEW_KEY] },
          tx,
        );
      });
      return next;
    },
  };
}
