// Maps the support service's domain events to socket rooms (see support-namespace.ts for rooms).
// Each event reaches a socket once, shaped for its audience: the user's sockets (the conversation
// room without the admins) get the user's view of the conversation, the admins room gets the
// admins' view (their unread count and the user's contact details). Messages and read receipts
// carry the conversation, so that a list row updates without a second event per socket.
import { ServerEvent } from '../../common/realtime.js';
import type { ConversationDto } from '../../common/support.js';
import { type ConversationView, toConversationDto } from '../support/presenters.js';
import type { SupportEvents } from '../support/support-events.js';
import { rooms, type SupportNamespace } from './support-namespace.js';

export function forwardSupportEvents(nsp: SupportNamespace, events: SupportEvents): () => void {
  /** Sends `build(view shaped for the audience)` to the user's side and to the admins. */
  const toBothSides = (
    view: ConversationView,
    send: (target: ReturnType<SupportNamespace['to']>, conversation: ConversationDto) => void,
  ) => {
    send(
      nsp.to(rooms.conversation(view.id)).to(rooms.user(view.userId)).except(rooms.admins),
      toConversationDto(view, 'user'),
    );
    send(nsp.to(rooms.admins), toConversationDto(view, 'admin'));
  };

  const unsubscribe = [
    events.on('conversationCreated', ({ conversation: view }) => {
      // Every socket of the user, on every server process, joins the new conversation's room.
      nsp.in(rooms.user(view.userId)).socketsJoin(rooms.conversation(view.id));
      toBothSides(view, (target, conversation) => target.emit(ServerEvent.CONVERSATION_CREATED, { conversation }));
    }),
    events.on('conversationUpdated', ({ conversation: view, adminsOnly }) => {
      // Priority and open <-> pending <-> snoozed are support's own business: users see "open" throughout.
      if (adminsOnly) {
        nsp.to(rooms.admins).emit(ServerEvent.CONVERSATION_UPDATED, { conversation: toConversationDto(view, 'admin') });
      } else {
        toBothSides(view, (target, conversation) => target.emit(ServerEvent.CONVERSATION_UPDATED, { conversation }));
      }
    }),
    events.on('messageCreated', ({ conversation: view, message }) =>
      toBothSides(view, (target, conversation) => target.emit(ServerEvent.MESSAGE_CREATED, { message, conversation })),
    ),
    events.on('messagesRead', ({ conversation: view, receipt }) =>
      toBothSides(view, (target, conversation) => target.emit(ServerEvent.MESSAGES_READ, { ...receipt, conversation })),
    ),
    // Internal notes: support admins only, never a user's socket; each mention to that agent only.
    events.on('noteCreated', ({ note, mentionedAdminIds, userName }) => {
      nsp.to(rooms.admins).emit(ServerEvent.NOTE_CREATED, { note });
      if (mentionedAdminIds.length > 0) {
        nsp.to(mentionedAdminIds.map(rooms.agent)).emit(ServerEvent.MENTION_CREATED, { note, userName });
      }
    }),
    // Agents' alerts: a conversation waits in the queue. Support admins only, as the queue itself.
    events.on('conversationQueued', ({ conversation: view }) =>
      nsp.to(rooms.admins).emit(ServerEvent.CONVERSATION_QUEUED, { conversation: toConversationDto(view, 'admin') }),
    ),
    // The team strip: support admins only.
    events.on('teamUpdated', ({ team }) => nsp.to(rooms.admins).emit(ServerEvent.TEAM_UPDATED, team)),
  ];
  return () => {
    for (const off of unsubscribe) off();
  };
}
