// The hot path: storing text messages. One SQL statement (atomic on its own, one commit) bumps the
// conversations (order, sequence number, unread counter, reopen, first-admin assignment; the row
// lock serialises concurrent sends to a conversation), inserts the messages with the bumped timestamps, writes the
// audit records, records in the notification outbox that the user may need to be told of an admin's
// reply (digested per conversation, see server/notifications/outbox.ts), and returns everything the
// responses and the realtime events need.
//
// Sends that arrive while a statement is running are written together by the next one, so under
// load one commit (one WAL flush) covers many messages; alone, a message is written at once. The
// caller guarantees at most one pending message per conversation (the service's per-conversation
// queue), because one UPDATE cannot bump the same row twice. It goes through the `pg` pool
// directly: Prisma's per-query overhead cost ~9 ms of CPU per message here.
import type pg from 'pg';
import type { SenderType } from '../../common/support.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import { errors } from '../errors.js';
import { outboxReplyInsert } from '../notifications/outbox.js';
import type { AuditRecord } from '../platform/audit/audit.service.js';
import {
  ORDER_SUMMARY_COLUMNS,
  ORDER_SUMMARY_JOINS,
  type OrderSummaryColumns,
  orderSummaryOf,
} from './order-summary-sql.js';
import type { ConversationColumns, ConversationUserColumns, ConversationView, MessageRow } from './presenters.js';

type Row = ConversationColumns &
  ConversationUserColumns &
  OrderSummaryColumns & {
    messageId: string;
    senderName: string | null;
    lastSeq: number;
    reopenPending: boolean;
  };

/** Admin replies only; the conversation CTE names the user, the message CTE proves the row exists. */
const RECORD_REPLY_NOTIFICATION = outboxReplyInsert(`
  SELECT c.id, c."userId", c.message_id
  FROM conversation c JOIN message m ON m.id = c.message_id JOIN input i ON i.message_id = c.message_id
  WHERE i.sender_type = 'admin'`);

const STATEMENT = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::"SupportSenderType"[], $4::uuid[], $5::uuid[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::uuid[], $11::text[], $12::text[], $13::jsonb[])
    AS t(conversation_id, owner_user_id, sender_type, sender_admin_id, message_id, body, client_message_id,
         action, actor_type, actor_id, target_type, target_id, metadata)
), conversation AS (
  UPDATE "SupportConversation" c SET
    "lastMessageAt" = GREATEST(date_trunc('milliseconds', clock_timestamp()), c."lastMessageAt" + interval '1 millisecond'),
    "lastSeq" = c."lastSeq" + 1,
    "unreadForAdmin" = c."unreadForAdmin" + CASE WHEN i.sender_type = 'user' THEN 1 ELSE 0 END,
    "unreadForUser" = c."unreadForUser" + CASE WHEN i.sender_type = 'admin' THEN 1 ELSE 0 END,
    status = 'open',
    "resolvedAt" = NULL,
    -- A user writing into a resolved conversation: routing decides who answers (routing/).
    "reopenPending" = c."reopenPending" OR (c.status = 'resolved' AND i.sender_type = 'user'),
    "adminId" = COALESCE(c."adminId", i.sender_admin_id),
    "updatedAt" = now()
  FROM input i
  WHERE c.id = i.conversation_id AND (i.owner_user_id IS NULL OR c."userId" = i.owner_user_id)
  RETURNING c.*, i.message_id
), message AS (
  INSERT INTO "SupportMessage" (id, "conversationId", "senderType", "senderAdminId", "messageType", body, "clientMessageId", "createdAt", seq)
  SELECT i.message_id, c.id, i.sender_type, i.sender_admin_id, 'text', i.body, i.client_message_id, c."lastMessageAt", c."lastSeq"
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
       c."lastMessageAt", c."resolvedAt", c."queuedAt", c."createdAt", c."updatedAt", c."unreadForAdmin", c."unreadForUser", c."lastSeq",
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

export type TextMessageInput = {
  messageId: string;
  conversationId: string;
  /** A user may only write into their own conversations; null for support admins. */
  ownerUserId: string | null;
  senderType: SenderType;
  senderAdminId: string | null;
  body: string;
  clientMessageId: string | null;
  audit: AuditRecord;
};

/** The stored message and the conversation after it; null if the conversation is not the sender's. */
export type WrittenText = { message: MessageRow; conversation: ConversationView; reopenPending: boolean } | null;

function toResult(input: TextMessageInput, row: Row | undefined): WrittenText {
  if (!row) return null;
  const message: MessageRow = {
    id: input.messageId,
    conversationId: row.id,
    senderType: input.senderType,
    senderAdminId: input.senderAdminId,
    messageType: 'text',
    body: input.body,
    read: false,
    readAt: null,
    clientMessageId: input.clientMessageId,
    createdAt: row.lastMessageAt,
    seq: row.lastSeq,
    attachment: null,
    senderAdmin: row.senderName === null ? null : { displayName: row.senderName },
  };
  const conversation: ConversationView = {
    id: row.id,
    userId: row.userId,
    userType: row.userType,
    adminId: row.adminId,
    assigneeName: row.assigneeName,
    status: row.status,
    subject: row.subject,
    lastMessageAt: row.lastMessageAt,
    resolvedAt: row.resolvedAt,
    queuedAt: row.queuedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    unreadForAdmin: row.unreadForAdmin,
    unreadForUser: row.unreadForUser,
    lastMessage: {
      id: input.messageId,
      senderType: input.senderType,
      messageType: 'text',
      body: input.body,
      fileName: null,
      createdAt: row.lastMessageAt,
    },
    order: orderSummaryOf(row),
    user: {
      userId: row.userId,
      userType: row.userType,
      displayName: row.displayName ?? '',
      email: row.email,
      phone: row.phone ?? '',
    },
  };
  return { message, conversation, reopenPending: row.reopenPending };
}

async function writeBatch(pool: pg.Pool, inputs: readonly TextMessageInput[]): Promise<Map<string, Row>> {
  const column = <T>(pick: (input: TextMessageInput) => T) => inputs.map(pick);
  const { rows } = await pool.query<Row>({
    name: 'support-write-text-messages',
    text: STATEMENT,
    values: [
      column((i) => i.conversationId),
      column((i) => i.ownerUserId),
      column((i) => i.senderType),
      column((i) => i.senderAdminId),
      column((i) => i.messageId),
      column((i) => i.body),
      column((i) => i.clientMessageId),
      column((i) => i.audit.action),
      column((i) => i.audit.actorType),
      column((i) => i.audit.actorId),
      column((i) => i.audit.targetType),
      column((i) => i.audit.targetId),
      column((i) => JSON.stringify(i.audit.metadata)),
    ],
  });
  return new Map(rows.map((row) => [row.messageId, row]));
}

type Pending = { input: TextMessageInput; resolve: (result: WrittenText) => void; reject: (error: unknown) => void };

/** Statements in flight at once; sends that arrive meanwhile wait and go together into the next. */
const MAX_STATEMENTS_IN_FLIGHT = 4;
const MAX_BATCH = 200;
/** Sends waiting for a statement; more are refused (retryable) rather than queued behind a stuck database. */
const MAX_WAITING = 2000;

export type TextMessageWriter = (input: TextMessageInput) => Promise<WrittenText>;

export function createTextMessageWriter(pool: pg.Pool): TextMessageWriter {
  let waiting: Pending[] = [];
  let inFlight = 0;

  async function flush(batch: Pending[]) {
    inFlight++;
    try {
      const rows = await writeBatch(
        pool,
        batch.map((p) => p.input),
      );
      for (const p of batch) p.resolve(toResult(p.input, rows.get(p.input.messageId)));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        // The database is gone or stuck: fail this batch and everything waiting at once (each
        // would only wait for its own timeout); clients retry with the same clientMessageId.
        const failed = [...batch, ...waiting];
        waiting = [];
        for (const p of failed) p.reject(error);
      } else if (batch.length === 1) {
        batch[0]?.reject(error);
      } else {
        // One bad send (e.g. a retried client message id) fails the whole statement: write the
        // batch one by one, so that only that send gets the error.
        for (const [i, p] of batch.entries()) {
          try {
            const rows = await writeBatch(pool, [p.input]);
            p.resolve(toResult(p.input, rows.get(p.input.messageId)));
          } catch (single) {
            p.reject(single);
            if (isDatabaseUnavailable(single)) {
              for (const rest of batch.slice(i + 1)) rest.reject(single);
              break;
            }
          }
        }
      }
    } finally {
      inFlight--;
      next();
    }
  }

  function next() {
    while (inFlight < MAX_STATEMENTS_IN_FLIGHT && waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(MAX_BATCH);
      void flush(batch);
    }
  }

  return (input) =>
    new Promise<WrittenText>((resolve, reject) => {
      if (waiting.length >= MAX_WAITING) {
        reject(errors.databaseUnavailable('Too many messages are waiting for the database. Try again.'));
        return;
      }
      waiting.push({ input, resolve, reject });
      next();
    });
}
