// The client events of the support namespace. Every handler validates its payload, applies the
// socket's rate limit, and goes through the support service, which authorises the principal
// against the conversation: identity comes from the socket's principal, never from the payload.
import type { Logger } from 'pino';
import {
  ClientEvent,
  ConversationPayload,
  MAX_SOCKET_PAYLOAD_BYTES,
  ReadPayload,
  SendMessagePayload,
  ServerEvent,
  SyncPayload,
} from '../../common/realtime.js';
import type { SupportService } from '../support/support.service.js';
import { createSocketRateLimiter, type RateLimit, registerAckHandler } from './acks.js';
import { rooms, type SupportSocket } from './support-namespace.js';

export type SupportSocketLimits = { send: RateLimit; read: RateLimit; typing: RateLimit; sync: RateLimit };

export const DEFAULT_SOCKET_LIMITS: SupportSocketLimits = {
  send: { points: 20, durationSeconds: 10 },
  read: { points: 60, durationSeconds: 10 },
  typing: { points: 20, durationSeconds: 10 },
  sync: { points: 30, durationSeconds: 10 },
};

export function createSupportHandlers(deps: { support: SupportService; logger: Logger; limits?: SupportSocketLimits }) {
  const { support, logger } = deps;
  const limits = deps.limits ?? DEFAULT_SOCKET_LIMITS;
  const allow = {
    send: createSocketRateLimiter(limits.send),
    read: createSocketRateLimiter(limits.read),
    typing: createSocketRateLimiter(limits.typing),
    sync: createSocketRateLimiter(limits.sync),
  };
  const common = { maxPayloadBytes: MAX_SOCKET_PAYLOAD_BYTES, logger };

  return function register(socket: SupportSocket) {
    const principal = () => socket.data.principal;
    /**
     * Conversations this socket was allowed to type into (typing is frequent; access rarely
     * changes), for the principal they were checked with: a new principal (its permissions changed)
     * starts afresh.
     */
    const typingAllowed = new Set<string>();
    let typingCheckedFor = principal();

    /**
     * Authorises the socket's principal as it is once the check returns: a revocation that lands
     * while the check awaits the database replaces the principal, and must not be undone by a
     * room join or an event sent with the old one.
     */
    const assertAccessNow = async (conversationId: string) => {
      let checked: unknown;
      while (checked !== principal()) {
        checked = principal();
        await support.assertAccess(principal(), conversationId);
      }
    };

    registerAckHandler(socket, ClientEvent.MESSAGE_SEND, {
      ...common,
      schema: SendMessagePayload,
      allow: allow.send,
      handle: async ({ conversationId, body, clientMessageId }) => {
        const { message } = await support.sendMessage(principal(), conversationId, { body, clientMessageId });
        return { message };
      },
    });

    registerAckHandler(socket, ClientEvent.MESSAGE_READ, {
      ...common,
      schema: ReadPayload,
      allow: allow.read,
      handle: async ({ messageId }) => ({ receipt: await support.markAsRead(principal(), messageId) }),
    });

    for (const [event, isTyping] of [
      [ClientEvent.TYPING_START, true],
      [ClientEvent.TYPING_STOP, false],
    ] as const) {
      registerAckHandler(socket, event, {
        ...common,
        schema: ConversationPayload,
        allow: allow.typing,
        handle: async ({ conversationId }) => {
          if (typingCheckedFor !== principal()) {
            typingAllowed.clear();
            typingCheckedFor = principal();
          }
          if (!typingAllowed.has(conversationId)) {
            await assertAccessNow(conversationId);
            typingAllowed.add(conversationId);
          }
          const who = principal();
          socket
            .to(rooms.conversation(conversationId))
            .to(rooms.admins)
            .emit(ServerEvent.TYPING, {
              conversationId,
              senderType: who.kind === 'admin' ? 'admin' : 'user',
              name: who.kind === 'admin' ? socket.data.displayName : null,
              isTyping,
            });
          return {};
        },
      });
    }

    registerAckHandler(socket, ClientEvent.CONVERSATION_JOIN, {
      ...common,
      schema: ConversationPayload,
      allow: allow.sync,
      handle: async ({ conversationId }) => {
        await assertAccessNow(conversationId);
        await socket.join(rooms.conversation(conversationId));
        return {};
      },
    });

    registerAckHandler(socket, ClientEvent.CONVERSATION_LEAVE, {
      ...common,
      schema: ConversationPayload,
      handle: async ({ conversationId }) => {
        await socket.leave(rooms.conversation(conversationId));
        return {};
      },
    });

    registerAckHandler(socket, ClientEvent.MESSAGES_SYNC, {
      ...common,
      schema: SyncPayload,
      allow: allow.sync,
      handle: async ({ conversationId, afterMessageId, limit }) => {
        const page = await support.listMessages(principal(), conversationId, {
          limit,
          ...(afterMessageId ? { after: afterMessageId } : {}),
        });
        // Without a cursor the page is the newest messages; hand them over oldest first as well.
        const messages = afterMessageId ? page.items : [...page.items].reverse();
        return { messages, hasMore: page.hasMore };
      },
    });
  };
}
