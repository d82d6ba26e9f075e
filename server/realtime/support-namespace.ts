// The support chat's Socket.IO namespace: handshake authentication, rooms, and session expiry.
//
// Rooms:
//   user:<userId>            every socket of one platform user
//   account:<userId>         every socket of one account, users and admins (socket cap, sessions)
//   conversation:<id>        the user's sockets, plus admins who join explicitly (typing events)
//   admins                   every socket of an admin holding SUPPORT_CHAT: receives the events of
//                            all conversations, so one socket does not sit in 100k rooms
import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../common/realtime.js';
import { ServerEvent, SUPPORT_NAMESPACE } from '../../common/realtime.js';
import { asDatabaseUnavailable, isDatabaseUnavailable, reportDatabaseFault } from '../db/availability.js';
import type { Db } from '../db/client.js';
import { AppError, errors } from '../errors.js';
import { loadPrincipal, loadPrincipals, type Principal } from '../platform/auth/principal.js';
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
  account: (userId: string) => `account:${userId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  admins: 'admins',
} as const;

/** How often the accounts behind connected sockets are looked up again (disabled, lost permissions). */
const PRINCIPAL_RECHECK_MS = 60_000;
const RECHECK_BATCH = 500;

/**
 * The error a refused handshake carries to the client: `err.message` and `err.data.code`. Only
 * token and account problems say UNAUTHENTICATED / TOKEN_EXPIRED (the client signs out); a
 * database outage or any other failure is retryable (`err.data.retryable`: keep the session).
 */
function connectError(error: unknown, logger: Logger): Error {
  let appError = error instanceof AppError ? error : asDatabaseUnavailable(error);
  if (appError && !(error instanceof AppError)) reportDatabaseFault(logger, 'socket handshake', error);
  if (!appError) {
    logger.error({ err: error }, 'socket handshake failed');
    appError = errors.serviceUnavailable();
  }
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
  /** Open sockets per account, over every server process; a new one beyond it closes the oldest. */
  socketsPerAccount: number;
  /** Called for every authenticated socket, to register the chat's event handlers. */
  onConnection: (socket: SupportSocket) => void;
}): { nsp: SupportNamespace; stop(): void; recheckAccounts(): Promise<void> } {
  const { db, logger } = deps;
  const nsp: SupportNamespace = deps.io.of(SUPPORT_NAMESPACE);

  /** Puts the socket in exactly the rooms its principal is entitled to. */
  async function joinEntitledRooms(socket: Socket, principal: Principal) {
    const accountRoom = rooms.account(principal.userId);
    if (principal.kind === 'user') {
      const conversations = await db.supportConversation.findMany({
        where: { userId: principal.userId },
        select: { id: true },
      });
      socket.join([rooms.user(principal.userId), ...conversations.map((c) => rooms.conversation(c.id))]);
    } else if (hasPermission(principal, 'SUPPORT_CHAT')) {
      socket.join(rooms.admins);
    } else {
      // An admin who lost SUPPORT_CHAT keeps no support room at all (only its account's).
      const keep = [socket.id, accountRoom];
      for (const room of socket.rooms) if (!keep.includes(room)) socket.leave(room);
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
      socket.join(rooms.account(principal.userId));
      await joinEntitledRooms(socket, principal);
      next();
    } catch (error) {
      next(connectError(error, logger));
    }
  });

  nsp.on('connection', (socket) => {
    const { tokenExpiresAt } = socket.data;

    // A socket lives no longer than its token; the client reconnects with a fresh one.
    const expiry = setTimeout(
      () => {
        socket.emit(ServerEvent.SESSION_EXPIRED);
        socket.disconnect(true);
      },
      Math.max(0, tokenExpiresAt * 1000 - Date.now()),
    );
    socket.on('disconnect', () => clearTimeout(expiry));

    deps.onConnection(socket);
    closeOldestBeyondCap(socket.data.principal.userId).catch((error) =>
      logger.error({ err: error }, 'enforcing the socket cap failed'),
    );
  });

  /**
   * One account may hold at most socketsPerAccount sockets, counted over every server process
   * (fetchSockets goes through the cluster adapter). The oldest go first, told why: a tab left
   * open is the likely one, and the client that just connected is the one in use.
   */
  async function closeOldestBeyondCap(userId: string) {
    const sockets = await nsp.in(rooms.account(userId)).fetchSockets();
    const excess = sockets.length - deps.socketsPerAccount;
    if (excess <= 0) return;
    const oldestFirst = [...sockets].sort((a, b) => a.handshake.issued - b.handshake.issued);
    for (const socket of oldestFirst.slice(0, excess)) {
      socket.emit(ServerEvent.CONNECTION_CLOSED, {
        reason: 'TOO_MANY_CONNECTIONS',
        message: `This account has more than ${deps.socketsPerAccount} open connections; the oldest was closed.`,
      });
      socket.disconnect(true);
    }
  }

  /**
   * Every PRINCIPAL_RECHECK_MS, the accounts behind this process's sockets are looked up again
   * (one query per RECHECK_BATCH accounts): disabled accounts are disconnected, admins who gained
   * or lost SUPPORT_CHAT join or leave the admins room. A user's conversation rooms never change.
   */
  async function recheckAccounts() {
    const sockets = [...nsp.sockets.values()];
    const userIds = [...new Set(sockets.map((socket) => socket.data.principal.userId))];
    const current = new Map<string, Principal>();
    for (let i = 0; i < userIds.length; i += RECHECK_BATCH) {
      for (const [userId, principal] of await loadPrincipals(db, userIds.slice(i, i + RECHECK_BATCH))) {
        current.set(userId, principal);
      }
    }
    for (const socket of sockets) {
      const principal = current.get(socket.data.principal.userId);
      if (!principal) {
        socket.disconnect(true);
        continue;
      }
      socket.data.principal = principal;
      if (principal.kind === 'admin') await joinEntitledRooms(socket, principal);
    }
  }
  const recheck = setInterval(() => {
    recheckAccounts().catch((error) => {
      // A database outage is logged once per incident; the next round tries again.
      if (isDatabaseUnavailable(error)) reportDatabaseFault(logger, 'socket account recheck', error);
      else logger.error({ err: error }, 'rechecking socket accounts failed');
    });
  }, PRINCIPAL_RECHECK_MS);

  return { nsp, stop: () => clearInterval(recheck), recheckAccounts };
}
