// Audit log: who did what to which record. Only ids, types, sizes and counts are kept: metadata
// keys must be on the allow-list below and values must look like data, not like personal data.
// Anything else is dropped before it reaches the AuditLog table (and the drop is logged by key).
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import type { Principal } from '../auth/principal.js';

export const AuditAction = {
  SUPPORT_CONVERSATION_CREATED: 'SUPPORT_CONVERSATION_CREATED',
  SUPPORT_MESSAGE_SENT: 'SUPPORT_MESSAGE_SENT',
  SUPPORT_ATTACHMENT_UPLOADED: 'SUPPORT_ATTACHMENT_UPLOADED',
  SUPPORT_CONVERSATION_ASSIGNED: 'SUPPORT_CONVERSATION_ASSIGNED',
  SUPPORT_CONVERSATION_RESOLVED: 'SUPPORT_CONVERSATION_RESOLVED',
  SUPPORT_CONVERSATION_REOPENED: 'SUPPORT_CONVERSATION_REOPENED',
  SETTINGS_UPDATED: 'SETTINGS_UPDATED',
  SUPPORT_CONVERSATION_ORDER_LINKED: 'SUPPORT_CONVERSATION_ORDER_LINKED',
  SUPPORT_CONVERSATION_RATED: 'SUPPORT_CONVERSATION_RATED',
  SUPPORT_AGENT_CAPACITY_SET: 'SUPPORT_AGENT_CAPACITY_SET',
  NOTIFICATION_RETRIED: 'NOTIFICATION_RETRIED',
  NOTIFICATION_DISMISSED: 'NOTIFICATION_DISMISSED',
  /** An internal note (ids, length and the mentioned agents' ids; never the text). */
  SUPPORT_NOTE_CREATED: 'SUPPORT_NOTE_CREATED',
  /** Set pending or snoozed, or woken from a snooze (resolve and reopen keep their own actions). */
  SUPPORT_CONVERSATION_STATUS_CHANGED: 'SUPPORT_CONVERSATION_STATUS_CHANGED',
  SUPPORT_CONVERSATION_PRIORITY_SET: 'SUPPORT_CONVERSATION_PRIORITY_SET',
  /** Saved replies (id, shortcut, body length, changed fields; never the text). */
  SAVED_REPLY_CREATED: 'SAVED_REPLY_CREATED',
  SAVED_REPLY_UPDATED: 'SAVED_REPLY_UPDATED',
  SAVED_REPLY_DELETED: 'SAVED_REPLY_DELETED',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** Metadata keys that describe records without describing people. */
export const AUDIT_METADATA_KEYS = [
  'conversationId',
  'messageId',
  'attachmentId',
  'adminId',
  'previousAdminId',
  'userType',
  'senderType',
  'messageType',
  'fileType',
  'fileSize',
  'bodyLength',
  'status',
  'changedKeys',
  'autoAssigned',
  'orderId',
  'previousOrderId',
  'userId',
  'party',
  'startedBySupport',
  'rating',
  /** Why a conversation was assigned (auto, manual, requeued, reopened); a notification retry's outcome. */
  'reason',
  'maxOpenConversations',
  'noteId',
  'mentionedAdminIds',
  'previousStatus',
  /** A snooze's length in seconds (a duration, never a wall-clock time). */
  'snoozeSeconds',
  'priority',
  'previousPriority',
  'savedReplyId',
  /** A saved reply's shortcut: a lead-chosen code like "refund-late", never personal data. */
  'shortcut',
] as const;

type MetadataValue = string | number | boolean | null | readonly string[];
export type AuditMetadata = Partial<Record<(typeof AUDIT_METADATA_KEYS)[number], MetadataValue>>;
export type AuditTarget = { type: string; id: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Identifier-like words (enum values, MIME types, setting keys): no spaces, no @. */
const CODE_LIKE = /^[A-Za-z][A-Za-z0-9_.:/+-]{0,99}$/;
const PHONE_LIKE = /\d[\d\s().-]{5,}\d/;

function isSafeString(value: string): boolean {
  return UUID.test(value) || (CODE_LIKE.test(value) && !PHONE_LIKE.test(value));
}

function isSafeValue(value: unknown): boolean {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return isSafeString(value);
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string' && isSafeString(item));
  return false;
}

const ALLOWED_METADATA_KEYS = new Set<string>(AUDIT_METADATA_KEYS);

/** The metadata that may be stored, and the keys that were dropped. */
export function sanitizeAuditMetadata(metadata: Record<string, unknown>): {
  kept: Record<string, MetadataValue>;
  dropped: string[];
} {
  const kept: Record<string, MetadataValue> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (value === undefined) continue;
    if (ALLOWED_METADATA_KEYS.has(key) && isSafeValue(value)) kept[key] = value as MetadataValue;
    else dropped.push(key);
  }
  return { kept, dropped };
}

export type AuditService = ReturnType<typeof createAuditService>;

/** Something that can run Prisma queries: the client itself or a transaction. */
type AuditWriter = Pick<Db, 'auditLog'>;

/** A row of AuditLog, ready to insert. */
export type AuditRecord = {
  action: AuditAction;
  actorType: 'user' | 'admin' | 'system';
  actorId: string | null;
  targetType: string;
  targetId: string | null;
  metadata: Record<string, MetadataValue>;
};

export function createAuditService(deps: { db: Db; logger: Logger }) {
  /** The record for an action, with its metadata sanitised (dropped keys are logged by name). */
  function prepare(
    action: AuditAction,
    actor: Principal | 'system',
    target: AuditTarget,
    metadata: AuditMetadata = {},
  ): AuditRecord {
    const { kept, dropped } = sanitizeAuditMetadata(metadata);
    if (dropped.length > 0) {
      // Key names only: the values are exactly what must not be logged.
      deps.logger.warn({ action, droppedKeys: dropped }, 'audit metadata dropped');
    }
    return {
      action,
      actorType: actor === 'system' ? 'system' : actor.kind,
      actorId: actor === 'system' ? null : actor.userId,
      targetType: target.type,
      targetId: target.id,
      metadata: kept,
    };
  }

  return {
    prepare,

    /**
     * Records an action. Pass `tx` to write inside the caller's transaction, so that the record
     * exists exactly when the change it describes does.
     */
    async log(
      action: AuditAction,
      actor: Principal | 'system',
      target: AuditTarget,
      metadata: AuditMetadata = {},
      tx: AuditWriter = deps.db,
    ): Promise<void> {
      await tx.auditLog.create({ data: prepare(action, actor, target, metadata) });
    },
  };
}
