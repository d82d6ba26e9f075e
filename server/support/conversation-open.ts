// A user opening a conversation, as few round trips as a message: one transaction on a pooled
// connection with two statements, no ORM. The SQL function support_open_conversation (migration
// 20261128104000_open_conversation) counts the user's open conversations under a per-user lock and
// inserts the conversation with its audit record; the first message then goes through the one
// message write path (message-write-sql.ts), whose row is the conversation's view as the response
// and the events need it. Creation used to be an interactive ORM transaction of eight queries,
// about 100 creations a second on this machine.
import type pg from 'pg';
import type { UserType } from '../../common/enums.js';
import type { AuditRecord } from '../platform/audit/audit.service.js';
import { messageWriteValues, ONE_MESSAGE } from './message-write-sql.js';
import { type TextMessageInput, type WrittenRow, type WrittenText, writtenTextOf } from './text-message-write.js';

export type OpenConversationInput = {
  conversationId: string;
  userId: string;
  userType: UserType;
  subject: string | null;
  orderId: string | null;
  /** The user's cap on conversations not yet resolved. */
  maxOpen: number;
  audit: AuditRecord;
  firstMessage: TextMessageInput | null;
  /** Runs after the cap check passed, before the commit (the per-account budgets); a throw rolls back. */
  beforeCommit: () => Promise<void>;
};

/** What was written: `refused` with the open count when the cap was reached (nothing was written). */
export type OpenedConversation = { refused: true; openBefore: number } | { refused: false; firstMessage: WrittenText };

const OPEN_CONVERSATION = {
  name: 'support-open-conversation',
  text: 'SELECT support_open_conversation($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS "openBefore"',
};
const FIRST_MESSAGE = { name: 'support-first-message', text: ONE_MESSAGE };

export async function openConversation(pool: pg.Pool, input: OpenConversationInput): Promise<OpenedConversation> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ openBefore: number }>({
        ...OPEN_CONVERSATION,
        values: [
          input.conversationId,
          input.userId,
          input.userType,
          input.subject,
          input.orderId,
          input.maxOpen,
          input.audit.action,
          input.audit.actorType,
          input.audit.actorId,
          JSON.stringify(input.audit.metadata),
        ],
      });
      const openBefore = rows[0]?.openBefore ?? 0;
      if (openBefore >= input.maxOpen) {
        await client.query('ROLLBACK');
        return { refused: true, openBefore };
      }
      await input.beforeCommit();
      let firstMessage: WrittenText = null;
      if (input.firstMessage) {
        const written = await client.query<WrittenRow>({
          ...FIRST_MESSAGE,
          values: messageWriteValues({ ...input.firstMessage, messageType: 'text', attachmentId: null }),
        });
        firstMessage = writtenTextOf(input.firstMessage, written.rows[0]);
      }
      await client.query('COMMIT');
      return { refused: false, firstMessage };
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
