// The support service's domain events, published after each transaction commits. The realtime
// module maps them to socket rooms; nothing else in the write path knows about sockets.
//
//   conversationCreated  a user opened a conversation (with or without a first message), or
//                        support opened one with a user (a party of an order)
//   conversationUpdated  assignment, status or priority changed (resolve, reopen, pending, snooze
//                        and its wake-up, assign, take), or the linked order changed (the view
//                        carries the order summary); adminsOnly when the user's view did not change
//   messageCreated       a text, image or file message was stored (HTTP or socket); the
//                        conversation view carries the new unread counters and last message
//   messagesRead         one side read the other side's messages up to a watermark
//   noteCreated          an internal note was stored (admins only; notes/notes.service.ts), with
//                        the agents it mentions
//   teamUpdated          an agent's status or load, or the routing queue, changed (routing/)
//   conversationQueued   a conversation entered the routing queue (open and unassigned): created
//                        without an assignee, unassigned by hand, set back to open while
//                        unassigned, or returned / reopened / woken without an agent by routing;
//                        published after the created / updated event (agents' alerts, alerts/)
//
// Each event carries the conversation as a ConversationView: both sides' unread counters and the
// user summary, from which presenters.ts makes the user-shaped and the admin-shaped DTO.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { NoteDto } from '../../common/notes.js';
import type { TeamSnapshot } from '../../common/routing.js';
import type { MessageDto, ReadReceipt } from '../../common/support.js';
import type { ConversationView } from './presenters.js';

export type SupportEventMap = {
  conversationCreated: { conversation: ConversationView };
  conversationUpdated: { conversation: ConversationView; adminsOnly?: boolean };
  /** republished: a retry found it stored already, and it goes out again (nothing was written). */
  messageCreated: { conversation: ConversationView; message: MessageDto; republished?: boolean };
  messagesRead: { conversation: ConversationView; receipt: ReadReceipt };
  teamUpdated: { team: TeamSnapshot };
  /** Never to a user: the admins room, and the mentioned agents' own rooms. */
  noteCreated: { note: NoteDto; mentionedAdminIds: string[]; userName: string };
  /** Admins only: the conversation waits in the queue now (see isQueued). */
  conversationQueued: { conversation: ConversationView };
};

/** Open and without an agent: it waits in the routing queue (the inbox's "Waiting"). */
export const isQueued = (view: ConversationView) => view.status === 'open' && view.adminId === null;

export type SupportEventName = keyof SupportEventMap;
export type SupportEvents = ReturnType<typeof createSupportEvents>;

export function createSupportEvents(logger: Logger) {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(50);
  return {
    on<E extends SupportEventName>(event: E, listener: (payload: SupportEventMap[E]) => void): () => void {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    /** A failing listener is logged; it never fails the request that caused the event. */
    publish<E extends SupportEventName>(event: E, payload: SupportEventMap[E]): void {
      for (const listener of emitter.listeners(event)) {
        try {
          (listener as (payload: SupportEventMap[E]) => void)(payload);
        } catch (error) {
          logger.error({ err: error, event }, 'support event listener failed');
        }
      }
    },
  };
}
