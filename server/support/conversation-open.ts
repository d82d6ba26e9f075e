// Users opening conversations, written the way messages are (text-message-write.ts): the
// creations that arrive while a batch is being written wait and go together into the next one,
// so under a burst one transaction (one commit) covers many conversations; alone, a creation is
// written at once. No ORM: a batch is five round trips on one pooled connection.
//
// One batch, in one transaction:
//   1. support_lock_open_counts() (migration 20261128104000_open_conversation) takes each user's
//      creation lock and counts their conversations not yet resolved: the open cap;
//   2. under the cap, the request spends the user's budgets (conversations per hour, and a
//      message for a first message); a refused budget leaves that request out;
//   3. one statement inserts the conversations and their audit records;
//   4. the first messages go through the one message write statement (message-write-sql.ts), whose
//      rows are the conversations' views as the responses and events need them.
// A user appears at most once per batch (a second request waits for the next), so a budget
// refused in step 2 never makes the cap count a conversation that was not written.
import type pg from 'pg';
import type { UserType } from '../../common/enums.js';
import { errors } from '../errors.js';
import type { AuditRecord } from '../platform/audit/audit.service.js';
import { MANY_MESSAGES, MESSAGE_INPUT_COLUMNS, messageWriteValues } from './message-write-sql.js';
import { type TextMessageInput, type WrittenRow, type WrittenText, writtenTextOf } from './text-message-write.js';
import { type BatchOutcome, createWriteBatcher } from './write-batcher.js';

export type OpenConversationInput = {
  conversationId: string;
  userId: string;
  userType: UserType;
  subject: string | null;
  orderId: string | null;
  audit: AuditRecord;
  firstMessage: TextMessageInput | null;
  /** Spends the user's budgets once the open cap let the request through; a throw refuses it. */
  spendBudgets: () => Promise<void>;
};

/** What was written: `refused` with the open count when the cap was reached (nothing was written). */
export type OpenedConversation = { refused: true; openBefore: number } | { refused: false; firstMessage: WrittenText };

export type ConversationOpener = (input: OpenConversationInput) => Promise<OpenedConversation>;

const LOCK_AND_COUNT = {
  name: 'support-lock-open-counts',
  text: 'SELECT user_id AS "userId", open_count AS "openCount" FROM support_lock_open_counts($1::uuid[])',
};

const INSERT_CONVERSATIONS = {
  name: 'support-insert-conversations',
  text: `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::"UserType"[], $4::text[], $5::uuid[],
                       $6::text[], $7::text[], $8::uuid[], $9::jsonb[])
    AS t(id, user_id, user_type, subject, order_id, action, actor_type, actor_id, metadata)
), conversation AS (
  INSERT INTO "SupportConversation" (id, "userId", "userType", subject, "orderId")
  SELECT id, user_id, user_type, subject, order_id FROM input
  RETURNING id
)
INSERT INTO "AuditLog" (action, "actorType", "actorId", "targetType", "targetId", metadata)
SELECT i.action, i.actor_type, i.actor_id, 'SupportConversation', i.id::text, i.metadata
FROM conversation c JOIN input i ON i.id = c.id`,
};

const FIRST_MESSAGES = { name: 'support-first-messages', text: MANY_MESSAGES };

type Creation = {
  input: OpenConversationInput;
  /** Budgets are spent once, even when a failed batch is written again one by one. */
  spent: boolean;
};

/** Batches in flight at once; creations that arrive meanwhile wait and go together into the next. */
const MAX_BATCHES_IN_FLIGHT = 2;
const MAX_BATCH = 100;
/** Creations waiting for a batch; more are refused (retryable) rather than queued behind a stuck database. */
const MAX_WAITING = 2000;

async function writeBatch(client: pg.PoolClient, batch: readonly Creation[], maxOpen: number) {
  const { rows: counts } = await client.query<{ userId: string; openCount: number }>({
    ...LOCK_AND_COUNT,
    values: [batch.map((p) => p.input.userId)],
  });
  const openCountOf = new Map(counts.map((row) => [row.userId, row.openCount]));
  const outcomes = new Map<Creation, BatchOutcome<OpenedConversation>>();
  const underCap = batch.filter((p) => {
    const openBefore = openCountOf.get(p.input.userId) ?? 0;
    if (openBefore < maxOpen) return true;
    outcomes.set(p, { ok: true, value: { refused: true, openBefore } });
    return false;
  });
  const spending = await Promise.allSettled(
    underCap.map(async (p) => {
      if (!p.spent) await p.input.spendBudgets();
      p.spent = true;
    }),
  );
  const accepted = underCap.filter((p, i) => {
    const spent = spending[i];
    if (spent?.status === 'rejected') outcomes.set(p, { ok: false, error: spent.reason });
    return spent?.status === 'fulfilled';
  });
  if (accepted.length > 0) {
    const column = <T>(pick: (input: OpenConversationInput) => T) => accepted.map((p) => pick(p.input));
    await client.query({
      ...INSERT_CONVERSATIONS,
      values: [
        column((i) => i.conversationId),
        column((i) => i.userId),
        column((i) => i.userType),
        column((i) => i.subject),
        column((i) => i.orderId),
        column((i) => i.audit.action),
        column((i) => i.audit.actorType),
        column((i) => i.audit.actorId),
        column((i) => JSON.stringify(i.audit.metadata)),
      ],
    });
    const messages = accepted.flatMap((p) => (p.input.firstMessage ? [p.input.firstMessage] : []));
    const written = new Map<string, WrittenRow>();
    if (messages.length > 0) {
      const values = messages.map((m) => messageWriteValues({ ...m, messageType: 'text', attachmentId: null }));
      const { rows } = await client.query<WrittenRow>({
        ...FIRST_MESSAGES,
        values: MESSAGE_INPUT_COLUMNS.map((_, n) => values.map((row) => row[n])),
      });
      for (const row of rows) written.set(row.messageId, row);
    }
    for (const p of accepted) {
      const first = p.input.firstMessage;
      outcomes.set(p, {
        ok: true,
        value: { refused: false, firstMessage: first ? writtenTextOf(first, written.get(first.messageId)) : null },
      });
    }
  }
  return outcomes;
}

/** One transaction for the batch; the outcome of each creation in it. */
async function writeInTransaction(pool: pg.Pool, batch: readonly Creation[], maxOpen: number) {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const outcomes = await writeBatch(client, batch, maxOpen);
      await client.query('COMMIT');
      return outcomes;
    } catch (error) {
      // A connection that failed mid-transaction is not handed to the next caller.
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
        broken = rollbackFailed;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

export function createConversationOpener(pool: pg.Pool, options: { maxOpenPerUser: number }): ConversationOpener {
  const open = createWriteBatcher<Creation, OpenedConversation>({
    async write(creations) {
      const outcomes = await writeInTransaction(pool, creations, options.maxOpenPerUser);
      return creations.map((c) => outcomes.get(c) ?? { ok: false, error: new Error('No outcome for a creation.') });
    },
    maxInFlight: MAX_BATCHES_IN_FLIGHT,
    maxBatch: MAX_BATCH,
    maxWaiting: MAX_WAITING,
    overloaded: () => errors.databaseUnavailable('Too many conversations are being opened. Try again in a moment.'),
    // A user appears at most once per batch (see the top of this file).
    fits: (creation, batch) => !batch.some((other) => other.input.userId === creation.input.userId),
  });
  return (input) => open({ input, spent: false });
}
