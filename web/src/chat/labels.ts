import type { UserType } from '../../../common/enums';
import type { ConversationDto, SenderType } from '../../../common/support';

export const USER_TYPE_LABELS: Record<UserType, string> = {
  driver: 'Driver',
  customer: 'Customer',
  restaurant: 'Restaurant',
};

/** The conversation's name in a list or header, as the viewer sees it. */
export function conversationTitle(conversation: ConversationDto, viewer: SenderType): string {
  if (viewer === 'admin') {
    return (
      conversation.user?.displayName ?? `${USER_TYPE_LABELS[conversation.userType]} ${conversation.userId.slice(0, 8)}`
    );
  }
  return conversation.subject?.trim() || 'Support conversation';
}

/** "You: …", "Support: …" or the user's words, for the last-message line of a row. */
export function previewText(conversation: ConversationDto, viewer: SenderType): string {
  const last = conversation.lastMessage;
  if (!last) return 'No messages yet';
  // The server writes the preview ("Photo", "File: name" or the text), so it reads the same everywhere.
  const content = last.preview;
  if (last.senderType === viewer) return `${viewer === 'admin' ? 'Support' : 'You'}: ${content}`;
  return viewer === 'user' ? `Support: ${content}` : content;
}
