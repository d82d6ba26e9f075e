// The client events of the support namespace. Every handler validates its payload, applies the
// account's rate limit (shared by all its sockets, HTTP and server processes), and goes through
// the support service, which authorises the principal against the conversation: identity comes
// from the socket's principal, never from the payload.
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
import { errors } from '../errors.js';
import type { Drain } from '../platform/lifecycle/drain.js';
import type { RateLimitName, RateLimits } from '../platform/limits/rate-limits.js';
import type { SupportService } from '../support/support.service.js';
import { registerAckHandler } from './acks.js';
import { currentViewers, publishViewers, viewersRoom } from './conversation-viewers.js';
import { rooms, type SupportSocket } from './support-namespace.js';

export function createSupportHandlers(deps: {
  support: SupportService;
  logger: Logger;
  limits: RateLimits;
  drain: Pick<Drain, 'track'>;
  /** Each event's time from arrival to ack (metrics). */
  observe: (event: string, seconds: number) => void;
}) {
  const { support, logger, limits, drain, observe } = deps;
  const common = { maxPayloadBytes: MAX_SOCKET_PAYLOAD_BYTES, logger, drain, observe };

  return function register(socket: SupportSocket) {
    const principal = () => socket.data.principal;
    const limited = (name: RateLimitName) => () => limits.consume(name, principal().userId);
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
      limit: limited('messages'),
      handle: async ({ conversationId, body, clientMessageId }) => {
        const { message } = await support.sendMessage(principal(), conversationId, { body, clientMessageId });
        return { message };
      },
    });

    registerAckHandler(socket, ClientEvent.MESSAGE_READ, {
      ...common,
      schema: ReadPayload,
      limit: limited('reads'),
      handle: async ({ messageId }) => ({ receipt: await support.markAsRead(principal(), messageId) }),
    });

    for (const [event, isTyping] of [
      [ClientEvent.TYPING_START, true],
      [ClientEvent.TYPING_STOP, false],
    ] as const) {
      registerAckHandler(socket, event, {
        ...common,
        schema: ConversationPayload,
        limit: limited('typing'),
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
          if (who.kind === 'admin') {
            // Admins get the typing agent's id (a colleague, not their own other tab); the user's
            // copy names the agent only.
            const name = socket.data.displayName;
            socket.to(rooms.admins).emit(ServerEvent.TYPING, {
              conversationId,
              senderType: 'admin',
              name,
              adminId: who.adminId,
              isTyping,
            });
            socket
              .to(rooms.conversation(conversationId))
              .except(rooms.admins)
              .emit(ServerEvent.TYPING, { conversationId, senderType: 'admin', name, isTyping });
          } else {
            socket
              .to(rooms.conversation(conversationId))
              .to(rooms.admins)
              .emit(ServerEvent.TYPING, { conversationId, senderType: 'user', name: null, isTyping });
          }
          return {};
        },
      });
    }

    registerAckHandler(socket, ClientEvent.CONVERSATION_JOIN, {
      ...common,
      schema: ConversationPayload,
      limit: limited('sync'),
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

    // --- who else has the conversation open (admins only; see conversation-viewers.ts) --------
    /** Conversations this socket views: their viewers hear when it goes. */
    const viewing = new Set<string>();
    const announceViewers = (conversationId: string) =>
      publishViewers(socket.nsp, conversationId).catch((error) =>
        logger.warn({ err: error, conversationId }, 'announcing viewers failed'),
      );

    registerAckHandler(socket, ClientEvent.VIEWING_START, {
      ...common,
      schema: ConversationPayload,
      limit: limited('sync'),
      handle: async ({ conversationId }) => {
        // Users must not learn who in support looks at their conversation.
        if (principal().kind !== 'admin') throw errors.forbidden('Only support agents can view conversations.');
        await assertAccessNow(conversationId);
        if (viewing.has(conversationId) && socket.rooms.has(viewersRoom(conversationId))) {
          // A refresh: the list as it is now (a crashed process's viewers are gone from it).
          return { viewers: await currentViewers(socket.nsp, conversationId) };
        }
        viewing.add(conversationId);
        await socket.join(viewersRoom(conversationId));
        return { viewers: await publishViewers(socket.nsp, conversationId) };
      },
    });

    registerAckHandler(socket, ClientEvent.VIEWING_STOP, {
      ...common,
      schema: ConversationPayload,
      handle: async ({ conversationId }) => {
        if (!viewing.delete(conversationId)) return {};
        await socket.leave(viewersRoom(conversationId));
        await announceViewers(conversationId);
        return {};
      },
    });

    // A closed tab or a lost connection: the socket has left its rooms by now.
    socket.on('disconnect', () => {
      for (const conversationId of viewing) void announceViewers(conversationId);
      viewing.clear();
    });

    registerAckHandler(socket, ClientEvent.MESSAGES_SYNC, {
      ...common,
      schema: SyncPayload,
      limit: limited('sync'),
      handle: async ({ conversationId, afterMessageId, afterSeq, limit }) => {
        const page = await support.listMessages(principal(), conversationId, {
          limit,
          ...(afterMessageId ? { after: afterMessageId } : {}),
          ...(afterSeq !== undefined ? { afterSeq } : {}),
        });
        // Without a cursor the page is the newest messages; hand them over oldest first as well.
        const oldestFirst = afterMessageId !== undefined || afterSeq !== undefined;
        const messages = oldestFirst ? page.items : [...page.items].reverse();
        return { messages, hasMore: page.hasMore };
      },
    });
  };
}
