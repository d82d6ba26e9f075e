// The notification outbox: rows written in the same statement/transaction as an admin's reply, so
// that a committed reply always has its "the user may need to be told" record and a rolled-back
// one never has. One pending row per conversation and user (a partial unique index): replies that
// arrive while it waits join it (messageCount, lastMessageId), which is the digest. The row holds
// ids and counters only; the worker (notification-worker.ts) reads everything else when it decides.

/** Settings keys (the settings table); see notification-settings.ts. */
export const NOTIFICATION_DELAY_KEY = 'notifications.delaySeconds';
export const NOTIFICATION_PREVIEW_KEY = 'notifications.includePreview';
export const DEFAULT_NOTIFICATION_DELAY_SECONDS = 120;

/**
 * INSERT ... ON CONFLICT of outbox rows for `source`, a SELECT of (conversationId, userId,
 * messageId). The delay is read from the settings table by primary key (a non-number falls back to
 * the default, so a bad row cannot fail the reply). Cheap enough for the message hot path.
 */
export function outboxReplyInsert(source: string): string {
  return `INSERT INTO "NotificationOutbox" ("conversationId", "userId", "lastMessageId", "dueAt")
  SELECT r.conversation_id, r.user_id, r.message_id,
         now() + make_interval(secs => COALESCE(
           (SELECT (s.value #>> '{}')::double precision FROM "Setting" s
             WHERE s.key = '${NOTIFICATION_DELAY_KEY}' AND jsonb_typeof(s.value) = 'number'),
           ${DEFAULT_NOTIFICATION_DELAY_SECONDS}))
  FROM (${source}) AS r(conversation_id, user_id, message_id)
  ON CONFLICT ("conversationId", "userId") WHERE status = 'pending'
  DO UPDATE SET "lastMessageId" = EXCLUDED."lastMessageId",
                "messageCount" = "NotificationOutbox"."messageCount" + 1,
                "updatedAt" = now()`;
}
