// The hot path: storing text messages, through the one write path of every message
// (message-write-sql.ts: one statement bumps the conversation, inserts the message, records the
// outbox row and the audit record, and returns everything the responses and events need).
//
// Sends that arrive while a statement is running are written together by the next one, so under
// load one commit (one WAL flush) covers many messages; alone, a message is written at once, by the
// statement's one-row form (no arrays to build, send and unnest: about a tenth less time per
// statement, and less PostgreSQL CPU per message at 500 msg/s, where most statements carry one). The
// caller guarantees at most one pending message per conversation (the service's per-conversation
// queue), because one UPDATE cannot bump the same row twice. It goes through the `pg` pool
// directly: Prisma's per-query overhead cost ~9 ms of CPU per message here.
import type pg from 'pg';
import { errors } from '../errors.js';
import {
  MANY_MESSAGES,
  MESSAGE_INPUT_COLUMNS,
  type MessageWriteInput,
  messageWriteValues,
  ONE_MESSAGE,
} from './message-write-sql.js';
import { type OrderSummaryColumns, orderSummaryOf } from './order-summary-sql.js';
import type { ConversationColumns, ConversationUserColumns, ConversationView, MessageRow } from './presenters.js';
import { createWriteBatcher } from './write-batcher.js';

/** A row of the message write statement (MANY_MESSAGES or ONE_MESSAGE): the message's conversation after it. */
export type WrittenRow = ConversationColumns &
  ConversationUserColumns &
  OrderSummaryColumns & {
    messageId: string;
    senderName: string | null;
    lastSeq: number;
    reopenPending: boolean;
  };

export type TextMessageInput = Omit<MessageWriteInput, 'messageType' | 'body' | 'attachmentId'> & { body: string };

/** The stored message and the conversation after it; null if the conversation is not the sender's. */
export type WrittenText = { message: MessageRow; conversation: ConversationView; reopenPending: boolean } | null;

/** The stored text message and its conversation's view, from the write statement's row. */
export function writtenTextOf(input: TextMessageInput, row: WrittenRow | undefined): WrittenText {
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
    snoozedUntil: row.snoozedUntil,
    priority: row.priority,
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

async function writeBatch(pool: pg.Pool, inputs: readonly TextMessageInput[]): Promise<Map<string, WrittenRow>> {
  const values = inputs.map((input) => messageWriteValues({ ...input, messageType: 'text', attachmentId: null }));
  const { rows } = await pool.query<WrittenRow>(
    values.length === 1
      ? { name: 'support-write-message', text: ONE_MESSAGE, values: values[0] }
      : {
          name: 'support-write-messages',
          text: MANY_MESSAGES,
          values: MESSAGE_INPUT_COLUMNS.map((_, n) => values.map((row) => row[n])),
        },
  );
  return new Map(rows.map((row) => [row.messageId, row]));
}

/** Statements in flight at once; sends that arrive meanwhile wait and go together into the next. */
const MAX_STATEMENTS_IN_FLIGHT = 4;
const MAX_BATCH = 200;
/** Sends waiting for a statement; more are refused (retryable) rather than queued behind a stuck database. */
const MAX_WAITING = 2000;

export type TextMessageWriter = (input: TextMessageInput) => Promise<WrittenText>;

export function createTextMessageWriter(pool: pg.Pool): TextMessageWriter {
  return createWriteBatcher<TextMessageInput, WrittenText>({
    async write(inputs) {
      const rows = await writeBatch(pool, inputs);
      return inputs.map((input) => ({ ok: true, value: writtenTextOf(input, rows.get(input.messageId)) }));
    },
    maxInFlight: MAX_STATEMENTS_IN_FLIGHT,
    maxBatch: MAX_BATCH,
    maxWaiting: MAX_WAITING,
    overloaded: () => errors.databaseUnavailable('Too many messages are waiting for the database. Try again.'),
  });
}
