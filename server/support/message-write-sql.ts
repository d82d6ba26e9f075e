// The one write path of every message (text, image, file; sent by a user or an agent). The
// conversation rules live here and nowhere else: order and sequence number, unread counters,
// reopening a resolved conversation (and telling routing so), first-reply assignment, the
// notification outbox row for an agent's reply, the audit record. A new message kind only adds
// columns to the input; it cannot skip a rule.
//
// messageWriteStatement(source) builds one statement (atomic on its own, one commit) around an
// `input` relation with the columns below: the hot path passes unnest()ed arrays (many sends in
// one statement, see text-message-write.ts), other writes pass one row of scalars inside their
// transaction. The row lock on the conversation serialises concurrent sends to it.
import type { MessageType, SenderType } from '../../common/support.js';
import { outboxReplyInsert } from '../notifications/outbox.js';
import type { AuditRecord } from '../platform/audit/audit.service.js';
import { ORDER_SUMMARY_COLUMNS, ORDER_SUMMARY_JOINS } from './order-summary-sql.js';

/** The columns of `input`, in this order. */
export const MESSAGE_INPUT_COLUMNS = [
  'conversation_id', // uuid
  'owner_user_id', // uuid, null for agents: a user may only write into their own conversations
  'sender_type', // "SupportSenderType"
  'sender_admin_id', // uuid
  'message_id', // uuid
  'message_type', // "SupportMessageType"
  'body', // text
  'attachment_id', // uuid
  'client_message_id', // text
  'action', // the audit record
  'actor_type',
  'actor_id', // uuid
  'target_type',
  'target_id',
  'metadata', // jsonb
] as const;

/** SQL types of the columns, for casting parameters ($n::type). */
export const MESSAGE_INPUT_TYPES = [
  'uuid',
  'uuid',
  '"SupportSenderType"',
  'uuid',
  'uuid',
  '"SupportMessageType"',
  'text',
  'uuid',
  'text',
  'text',
  'text',
  'uuid',
  'text',
  'text',
  'jsonb',
] as const;

/** Agent replies only; the conversation CTE names the user, the message CTE proves the row exists. */
const RECORD_REPLY_NOTIFICATION = outboxReplyInsert(`
  SELECT c.id, c."userId", c.message_id
  FROM conversation c JOIN message m ON m.id = c.message_id JOIN input i ON i.message_id = c.message_id
  WHERE i.sender_type = 'admin'`);

/** `source` selects the input rows with MESSAGE_INPUT_COLUMNS (named by the caller's AS clause or aliases). */
export function messageWriteStatement(source: string): string {
  return `
WITH input AS (${source}), conversation AS (
  UPDATE "SupportConversation" c SET
    "lastMessageAt" = GREATEST(date_trunc('milliseconds', clock_timestamp()), c."lastMessageAt" + interval '1 millisecond'),
    "lastSeq" = c."lastSeq" + 1,
    "unreadForAdmin" = c."unreadForAdmin" + CASE WHEN i.sender_type = 'user' THEN 1 ELSE 0 END,
    "unreadForUser" = c."unreadForUser" + CASE WHEN i.sender_type = 'admin' THEN 1 ELSE 0 END,
    -- Any message reopens a resolved conversation; only the user's reopens a pending or snoozed one
    -- (an agent's note to a user who owes an answer leaves it waiting; see workflow/).
    status = CASE WHEN i.sender_type = 'admin' AND c.status IN ('pending', 'snoozed') THEN c.status ELSE 'open' END,
    "snoozedUntil" = CASE WHEN i.sender_type = 'admin' AND c.status = 'snoozed' THEN c."snoozedUntil" END,
    "resolvedAt" = NULL,
    -- A user writing into a conversation that was not open: routing decides who answers (routing/).
    "reopenPending" = c."reopenPending" OR (c.status <> 'open' AND i.sender_type = 'user'),
    "adminId" = COALESCE(c."adminId", i.sender_admin_id),
    "updatedAt" = now()
  FROM input i
  WHERE c.id = i.conversation_id AND (i.owner_user_id IS NULL OR c."userId" = i.owner_user_id)
  RETURNING c.*, i.message_id
), message AS (
  INSERT INTO "SupportMessage" (id, "conversationId", "senderType", "senderAdminId", "messageType", body, "attachmentId",
                                "clientMessageId", "createdAt", seq)
  SELECT i.message_id, c.id, i.sender_type, i.sender_admin_id, i.message_type, i.body, i.attachment_id,
         i.client_message_id, c."lastMessageAt", c."lastSeq"
  FROM conversation c JOIN input i ON i.message_id = c.message_id
  RETURNING id
), notification AS (
  ${RECORD_REPLY_NOTIFICATION}
), audit AS (
  INSERT INTO "AuditLog" (action, "actorType", "actorId", "targetType", "targetId", metadata)
  SELECT i.action, i.actor_type, i.actor_id, i.target_type, i.target_id, i.metadata
  FROM message m JOIN input i ON i.message_id = m.id
)
SELECT c.message_id AS "messageId",
       c.id, c."userId", c."userType", c."adminId", a."displayName" AS "assigneeName", c.status, c.subject,
       c."lastMessageAt", c."resolvedAt", c."snoozedUntil", c.priority, c."queuedAt", c."createdAt", c."updatedAt", c."unreadForAdmin", c."unreadForUser", c."lastSeq",
       c."reopenPending",
       u.email,
       COALESCE(dp."fullName", cp."fullName", rp.name) AS "displayName",
       COALESCE(dp.phone, cp.phone, rp.phone) AS phone,
       sender."displayName" AS "senderName",
       ${ORDER_SUMMARY_COLUMNS}
FROM conversation c
JOIN message m ON m.id = c.message_id
JOIN input i ON i.message_id = c.message_id
JOIN "User" u ON u.id = c."userId"
LEFT JOIN "DriverProfile" dp ON c."userType" = 'driver' AND dp."userId" = c."userId"
LEFT JOIN "CustomerProfile" cp ON c."userType" = 'customer' AND cp."userId" = c."userId"
LEFT JOIN "RestaurantProfile" rp ON c."userType" = 'restaurant' AND rp."userId" = c."userId"
LEFT JOIN "AdminProfile" a ON a.id = c."adminId"
LEFT JOIN "AdminProfile" sender ON sender.id = i.sender_admin_id
${ORDER_SUMMARY_JOINS}`;
}

/** Many rows: each parameter is an array of one column. */
export const MANY_MESSAGES = messageWriteStatement(
  `SELECT * FROM unnest(${MESSAGE_INPUT_TYPES.map((type, n) => `$${n + 1}::${type}[]`).join(', ')})
    AS t(${MESSAGE_INPUT_COLUMNS.join(', ')})`,
);

/** One row: each parameter is one value. */
export const ONE_MESSAGE = messageWriteStatement(
  `SELECT ${MESSAGE_INPUT_TYPES.map((type, n) => `$${n + 1}::${type} AS ${MESSAGE_INPUT_COLUMNS[n]}`).join(', ')}`,
);

export type MessageWriteInput = {
  messageId: string;
  conversationId: string;
  /** A user may only write into their own conversations; null for support agents. */
  ownerUserId: string | null;
  senderType: SenderType;
  senderAdminId: string | null;
  messageType: MessageType;
  body: string | null;
  attachmentId: string | null;
  clientMessageId: string | null;
  audit: AuditRecord;
};

/** The parameter values of one input row, in MESSAGE_INPUT_COLUMNS order. */
export function messageWriteValues(input: MessageWriteInput): unknown[] {
  return [
    input.conversationId,
    input.ownerUserId,
    input.senderType,
    input.senderAdminId,
    input.messageId,
    input.messageType,
    input.body,
    input.attachmentId,
    input.clientMessageId,
    input.audit.action,
    input.audit.actorType,
    input.audit.actorId,
    input.audit.targetType,
    input.audit.targetId,
    JSON.stringify(input.audit.metadata),
  ];
}
