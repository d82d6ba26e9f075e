// Maps the support service's domain events to socket rooms (see support-namespace.ts for rooms).
// Messages and read receipts go to the conversation's room and to the admins room in one emit,
// so a socket in both receives them once. Conversation updates are shaped per audience: the
// user's sockets get the user's view, admins get theirs (with their unread count and the user).
import { ServerEvent } from '../../common/realtime.js';
import type { ConversationView } from '../support/presenters.js';
import { toConversationDto } from '../support/presenters.js';
import type { SupportEvents } from '../support/support-events.js';
import { rooms, type SupportNamespace } from './support-namespace.js';

export function forwardSupportEvents(nsp: SupportNamespace, events: SupportEvents): () => void {
  const conversationChanged = (
    view: ConversationView,
    event: typeof ServerEvent.CONVERSATION_UPDATED | typeof ServerEvent.CONVERSATION_CREATED,
  ) => {
    nsp.to(rooms.user(view.userId)).emit(event, { conversation: toConversationDto(view, 'user') });
    nsp.to(rooms.admins).emit(event, { conversation: toConversationDto(view, 'admin') });
  };

  const unsubscribe = [
    events.on('conversationCreated', ({ conversation }) => {
      // Every socket of the user, on every server process, joins the new conversation's room.
      nsp.in(rooms.user(conversation.userId)).socketsJoin(rooms.conversation(conversation.id));
      conversationChanged(conversation, ServerEvent.CONVERSATION_CREATED);
    }),
    events.on('conversationUpdated', ({ conversation }) =>
      conversationChanged(conversation, ServerEvent.CONVERSATION_UPDATED),
    ),
    events.on('messageCreated', ({ conversation, message }) => {
      nsp.to(rooms.conversation(conversation.id)).to(rooms.admins).emit(ServerEvent.MESSAGE_CREATED, { message });
      conversationChanged(conversation, ServerEvent.CONVERSATION_UPDATED);
    }),
    events.on('messagesRead', ({ conversation, receipt }) => {
      nsp.to(rooms.conversation(conversation.id)).to(rooms.admins).emit(ServerEvent.MESSAGES_READ, receipt);
      conversationChanged(conversation, ServerEvent.CONVERSATION_UPDATED);
    }),
  ];
  return () => {
    for (const off of unsubscribe) off();
  };
}
