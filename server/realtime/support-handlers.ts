// The client events of the support namespace. Every handler validates its payload, applies the
// account's rate limit (shared by all its sockets, HTTP and server processes), and goes through
// the support service, which authorises the principal against the conversation: identity comes
// from the socket's principal, never from the payload.
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
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
import type { Principal } from '../platform/auth/principal.js';
import type { Drain } from '../platform/lifecycle/drain.js';
import type { RateLimitName, RateLimits } from '../platform/limits/rate-limits.js';
import type { SupportService } from '../support/support.service.js';
import { type AckContext, type AckEvent, ackListener, type SharedListener } from './acks.js';
import { currentViewers, publishViewers, viewersRoom } from './conversation-viewers.js';
import { rooms, type SupportSocket } from './support-namespace.js';

/** Conversations a socket was allowed to type into, for the principal they were checked with. */
type TypingAccess = { principal: Principal; conversations: Set<string> };

export function createSupportHandlers(deps: {
  support: SupportService;
  logger: Logger;
  limits: RateLimits;
  drain: Pick<Drain, 'track'>;
  /** Each event's time from arrival to ack (metrics). */
  observe: (event: string, seconds: number) => void;
}) {
  const { support, logger, limits, drain, observe } = deps;
  const context: AckContext = { maxPayloadBytes: MAX_SOCKET_PAYLOAD_BYTES, logger, drain, observe };
  /** Every event's listener, shared by all sockets (an idle socket then holds no closures of ours). */
  const listeners = new Map<string, SharedListener<SupportSocket>>();
  const on = <Schema extends z.ZodType>(event: string, options: AckEvent<Schema, SupportSocket>) =>
    listeners.set(event, ackListener(event, context, options));
  const limited = (name: RateLimitName) => (socket: SupportSocket) =>
    limits.consume(name, socket.data.principal.userId);

  /**
   * Typing is frequent and access rarely changes: a socket remembers the conversations it was
   * allowed to type into, for the principal they were checked with (a new principal, after a
   * permission change, starts afresh). Kept here rather than in socket.data, which crosses
   * processes (fetchSockets); created on a socket's first typing event.
   */
  const typingAccess = new WeakMap<SupportSocket, TypingAccess>();
  /** Conversations each admin socket views: their viewers hear when it goes. */
  const viewing = new WeakMap<SupportSocket, Set<string>>();

  /**
   * Authorises the socket's principal as it is once the check returns: a revocation that lands
   * while the check awaits the database replaces the principal, and must not be undone by a
   * room join or an event sent with the old one.
   */
  const assertAccessNow = async (socket: SupportSocket, conversationId: string) => {
    let checked: unknown;
    while (checked !== socket.data.principal) {
      checked = socket.data.principal;
      await support.assertAccess(socket.data.principal, conversationId);
    }
  };

  const announceViewers = (socket: SupportSocket, conversationId: string) =>
    publishViewers(socket.nsp, conversationId).catch((error) =>
      logger.warn({ err: error, conversationId }, 'announcing viewers failed'),
    );

  on(ClientEvent.MESSAGE_SEND, {
    schema: SendMessagePayload,
    limit: limited('messages'),
    handle: async (socket, { conversationId, body, clientMessageId }) => {
      const { message } = await support.sendMessage(socket.data.principal, conversationId, { body, clientMessageId });
      return { message };
    },
  });

  on(ClientEvent.MESSAGE_READ, {
    schema: ReadPayload,
    limit: limited('reads'),
    handle: async (socket, { messageId }) => ({ receipt: await support.markAsRead(socket.data.principal, messageId) }),
  });

  for (const [event, isTyping] of [
    [ClientEvent.TYPING_START, true],
    [ClientEvent.TYPING_STOP, false],
  ] as const) {
    on(event, {
      schema: ConversationPayload,
      limit: limited('typing'),
      handle: async (socket, { conversationId }) => {
        let access = typingAccess.get(socket);
        if (access?.principal !== socket.data.principal) {
          access = { principal: socket.data.principal, conversations: new Set() };
          typingAccess.set(socket, access);
        }
        if (!access.conversations.has(conversationId)) {
          await assertAccessNow(socket, conversationId);
          access.conversations.add(conversationId);
        }
        const who = socket.data.principal;
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

  on(ClientEvent.CONVERSATION_JOIN, {
    schema: ConversationPayload,
    limit: limited('sync'),
    handle: async (socket, { conversationId }) => {
      await assertAccessNow(socket, conversationId);
      await socket.join(rooms.conversation(conversationId));
      return {};
    },
  });

  on(ClientEvent.CONVERSATION_LEAVE, {
    schema: ConversationPayload,
    handle: async (socket, { conversationId }) => {
      await socket.leave(rooms.conversation(conversationId));
      return {};
    },
  });

  // --- who else has the conversation open (admins only; see conversation-viewers.ts) ----------
  on(ClientEvent.VIEWING_START, {
    schema: ConversationPayload,
    limit: limited('sync'),
    handle: async (socket, { conversationId }) => {
      // Users must not learn who in support looks at their conversation.
      if (socket.data.principal.kind !== 'admin') throw errors.forbidden('Only support agents can view conversations.');
      await assertAccessNow(socket, conversationId);
      let viewed = viewing.get(socket);
      if (viewed?.has(conversationId) && socket.rooms.has(viewersRoom(conversationId))) {
        // A refresh: the list as it is now (a crashed process's viewers are gone from it).
        return { viewers: await currentViewers(socket.nsp, conversationId) };
      }
      if (!viewed) {
        viewed = new Set();
        viewing.set(socket, viewed);
      }
      viewed.add(conversationId);
      await socket.join(viewersRoom(conversationId));
      return { viewers: await publishViewers(socket.nsp, conversationId) };
    },
  });

  on(ClientEvent.VIEWING_STOP, {
    schema: ConversationPayload,
    handle: async (socket, { conversationId }) => {
      if (!viewing.get(socket)?.delete(conversationId)) return {};
      await socket.leave(viewersRoom(conversationId));
      await announceViewers(socket, conversationId);
      return {};
    },
  });

  on(ClientEvent.MESSAGES_SYNC, {
    schema: SyncPayload,
    limit: limited('sync'),
    handle: async (socket, { conversationId, afterMessageId, afterSeq, limit }) => {
      const page = await support.listMessages(socket.data.principal, conversationId, {
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

  // A closed tab or a lost connection: the socket has left its rooms by now.
  function onDisconnect(this: SupportSocket) {
    const viewed = viewing.get(this);
    if (!viewed) return;
    for (const conversationId of viewed) void announceViewers(this, conversationId);
    viewing.delete(this);
  }

  return function register(socket: SupportSocket) {
    const untyped = socket as unknown as Socket;
    for (const [event, listener] of listeners) untyped.on(event, listener as SharedListener<Socket>);
    socket.on('disconnect', onDisconnect);
  };
}
