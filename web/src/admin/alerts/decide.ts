// Which live events alert the signed-in agent, and what stays pending for the tab title. Pure
// functions: the alert manager (use-alert-manager.ts) feeds them socket events and the page state.
//
// Kinds: `queued` (a conversation entered the routing queue: conversation:queued), `message` (a
// user's message in a conversation assigned to me: message:created), `mention` (a note mentions
// me: mention:created, which the server sends to me only). Nothing alerts for the conversation I
// am looking at while the tab is visible. The server sends an agent only events they may see.
import type { AlertChannels, AlertKind, AlertPreferences } from '../../../../common/alerts';
import type { MentionCreatedEvent } from '../../../../common/notes';
import type { ConversationDto, MessageDto } from '../../../../common/support';

export type AlertEvent =
  | { type: 'queued'; conversation: ConversationDto }
  | { type: 'message'; message: MessageDto; conversation: ConversationDto }
  | { type: 'mention'; event: MentionCreatedEvent };

export type AlertContext = {
  /** The signed-in agent. */
  adminId: string | null;
  /** The conversation open on this page (/admin/support-chat/<id>), if any. */
  openConversationId: string | null;
  tabVisible: boolean;
};

export type Alert = {
  kind: AlertKind;
  conversationId: string;
  /** One per happening (a message, a note, a stay in the queue): repeats of an event alert once. */
  key: string;
  /** Notification title and text: names only, never what the user or a colleague wrote. */
  title: string;
  body: string;
  /** The same in one sentence (the toast in the page). */
  text: string;
};

const nameOf = (conversation: ConversationDto) => conversation.user?.displayName ?? 'A user';

/** The alert an event raises for this agent, or null. */
export function alertFor(event: AlertEvent, context: AlertContext): Alert | null {
  const alert = describeEvent(event, context.adminId);
  if (!alert) return null;
  if (context.tabVisible && alert.conversationId === context.openConversationId) return null;
  return alert;
}

function describeEvent(event: AlertEvent, adminId: string | null): Alert | null {
  switch (event.type) {
    case 'queued': {
      const { conversation } = event;
      // Taken again before the event arrived: nothing waits.
      if (conversation.status !== 'open' || conversation.adminId !== null) return null;
      return {
        kind: 'queued',
        conversationId: conversation.id,
        key: `queued:${conversation.id}:${conversation.queuedAt}`,
        title: 'New conversation waiting',
        body: `${nameOf(conversation)} (${conversation.userType}) is waiting in the queue`,
        text: `${nameOf(conversation)} is waiting in the queue`,
      };
    }
    case 'message': {
      const { message, conversation } = event;
      if (message.senderType !== 'user' || adminId === null || conversation.adminId !== adminId) return null;
      return {
        kind: 'message',
        conversationId: conversation.id,
        key: `message:${message.id}`,
        title: `New message from ${nameOf(conversation)}`,
        body: 'In a conversation assigned to you',
        text: `New message from ${nameOf(conversation)}`,
      };
    }
    case 'mention': {
      const { note, userName } = event.event;
      if (adminId !== null && note.authorAdminId === adminId) return null;
      const who = note.authorName ?? 'A colleague';
      return {
        kind: 'mention',
        conversationId: note.conversationId,
        key: `mention:${note.id}`,
        title: `${who} mentioned you`,
        body: `In a note on ${userName}'s conversation`,
        text: `${who} mentioned you in a note on ${userName}'s conversation`,
      };
    }
  }
}

/** The channels an alert uses under the agent's switches. */
export function channelsFor(alert: Pick<Alert, 'kind'>, preferences: AlertPreferences): AlertChannels {
  return preferences[alert.kind];
}

/** Alerts not yet read, for the tab title (oldest first, one per key). */
export type Pending = readonly Alert[];

export function addPending(pending: Pending, alert: Alert): Pending {
  return pending.some((p) => p.key === alert.key) ? pending : [...pending, alert];
}

/** Opening a conversation reads everything about it. */
export function clearConversation(pending: Pending, conversationId: string): Pending {
  return pending.some((p) => p.conversationId === conversationId)
    ? pending.filter((p) => p.conversationId !== conversationId)
    : pending;
}

/**
 * A conversation changed (an update, a read receipt, a message): what no longer needs me goes.
 * A queued alert, once someone took it or it left "open"; a message alert, once its messages are
 * read (in another tab, or by a colleague) or it is no longer mine.
 */
export function settleConversation(pending: Pending, conversation: ConversationDto, adminId: string | null): Pending {
  const keep = (p: Alert) => {
    if (p.conversationId !== conversation.id) return true;
    if (p.kind === 'queued') return conversation.status === 'open' && conversation.adminId === null;
    if (p.kind === 'message') return conversation.unreadCount > 0 && conversation.adminId === adminId;
    return true;
  };
  return pending.every(keep) ? pending : pending.filter(keep);
}

/** Conversations with an unread alert whose kind counts in the title. */
export function titleCount(pending: Pending, preferences: AlertPreferences): number {
  return new Set(pending.filter((p) => preferences[p.kind].title).map((p) => p.conversationId)).size;
}

export const BASE_TITLE = 'Support chat';

export const titleText = (count: number) => (count > 0 ? `(${count}) ${BASE_TITLE}` : BASE_TITLE);
