// The support chat's Socket.IO namespace: handshake authentication, rooms, and session expiry.
//
// Rooms:
//   user:<userId>            every socket of one platform user
//   conversation:<id>        the user's sockets, plus admins who join explicitly (typing events)
//   admins                   every socket of an admin holding SUPPORT_CHAT: receives the events of
//                            all conversations, so one socket does not sit in 100k rooms
import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../common/realtime.js';
import { ServerEvent, SUPPORT_NAMESPACE } from '../../common/realtime.js';
import type { Db } from '../db/client.js';
import { AppError, errors } from '../errors.js';
import { loadPrincipal, type Principal } from '../platform/auth/principal.js';
import type { TokenService } from '../platform/auth/tokens.js';
import { hasPermission } from '../platform/rbac/rbac.js';

export type SupportSocketData = {
  principal: Principal;
  displayName: string;
  /** Token expiry, seconds since the epoch. */
  tokenExpiresAt: number;
};

export type SupportNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, object, SupportSocketData>;
export type SupportSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SupportSocketData>;

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  admins: 'admins',
} as const;

/** How often a connected socket's account is looked up again (disabled accounts, lost permissions). */
const PRINCIPAL_RECHECK_MS = 60_000;

/** The error a refused handshake carries to the client: `err.message` and `err.data.code`. */
function connectError(error: unknown): Error {
  const appError = error instanceof AppError ? error : errors.unauthenticated('The token is not valid.');
  return Object.assign(new Error(appError.message), { data: appError.toBody().error });
}

function bearerFromHandshake(socket: Socket): string | undefined {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}

export function createSupportNamespace(deps: {
  io: Server;
  db: Db;
  tokens: TokenService;
  logger: Logger;
  /** Called for every authenticated socket, to register the chat's event handlers. */
  onConnection: (socket: SupportSocket) => void;
}): SupportNamespace {
  const { db, logger } = deps;
  const nsp: SupportNamespace = deps.io.of(SUPPORT_NAMESPACE);

  /** Puts the socket in exactly the rooms its principal is entitled to. */
  async function joinEntitledRooms(socket: Socket, principal: Principal) {
    if (principal.kind === 'user') {
      const conversations = await db.supportConversation.findMany({
        where: { userId: principal.userId },
        select: { id: true },
      });
      socket.join([rooms.user(principal.userId), ...conversations.map((c) => rooms.conversation(c.id))]);
    } else if (hasPermission(principal, 'SUPPORT_CHAT')) {
      socket.join(rooms.admins);
    } else {
      // An admin who lost SUPPORT_CHAT keeps no support room at all.
      for (const room of socket.rooms) if (room !== socket.id) socket.leave(room);
    }
  }

  nsp.use(async (socket, next) => {
    try {
      const token = bearerFromHandshake(socket);
      if (!token) throw errors.unauthenticated('Send your access token in the handshake: auth: { token }.');
      const claims = await deps.tokens.verify(token);
      const { principal, displayName } = await loadPrincipal(db, claims.sub);
      socket.data = { principal, displayName, tokenExpiresAt: claims.exp };
      // Joined before the connection is accepted: once the client sees `connect`, it gets events.
      await joinEntitledRooms(socket, principal);
      next();
    } catch (error) {
      next(connectError(error));
    }
  });

  nsp.on('connection', (socket) => {
    const { principal, tokenExpiresAt } = socket.data;

    // A socket lives no longer than its token; the client reconnects with a fresh one.
    const expiry = setTimeout(
      () => {
        socket.emit(ServerEvent.SESSION_EXPIRED);
        socket.disconnect(true);
      },
      Math.max(0, tokenExpiresAt * 1000 - Date.now()),
    );
    const recheck = setInterval(async () => {
      try {
        const current = await loadPrincipal(db, principal.userId);
        socket.data.principal = current.principal;
        await joinEntitledRooms(socket, current.principal);
      } catch (error) {
        logger.info({ err: error }, 'socket closed: the account can no longer sign in');
        socket.disconnect(true);
      }
    }, PRINCIPAL_RECHECK_MS);
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      clearInterval(recheck);
    });

    deps.onConnection(socket);
  });

  return nsp;
}
