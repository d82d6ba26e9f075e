// The support chat's Socket.IO namespace: handshake authentication, rooms, and the end of a
// socket when its token expires or its session or account ends.
//
// Rooms:
//   user:<userId>            every socket of one platform user
//   account:<userId>         every support socket of one account, users and admins (socket cap,
//                            revocation)
//   session:<sessionId>      every socket of one signed-in session
//   conversation:<id>        the user's sockets, plus admins who join explicitly (typing events)
//   admins                   every socket of an admin holding SUPPORT_CHAT: receives the events of
//                            all conversations, so one socket does not sit in 100k rooms
//   viewers:<id>             admins who have the conversation open (conversation-viewers.ts)
import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SessionEndedReason } from '../../common/realtime.js';
import { ServerEvent, SUPPORT_NAMESPACE } from '../../common/realtime.js';
import { asDatabaseUnavailable, isDatabaseUnavailable, reportDatabaseFault } from '../db/availability.js';
import type { Db } from '../db/client.js';
import { AppError, errors } from '../errors.js';
import { loadSessionPrincipal, loadSessionStates, type Principal } from '../platform/auth/principal.js';
import type { TokenService } from '../platform/auth/tokens.js';
import { hasPermission } from '../platform/rbac/rbac.js';
import type { AccountChange } from './account-changes.js';
import { publishViewers, viewersRoom } from './conversation-viewers.js';

export type SupportSocketData = {
  principal: Principal;
  displayName: string;
  /** The AuthSession the socket's token belongs to. */
  sessionId: string;
  /** Token expiry, seconds since the epoch. */
  tokenExpiresAt: number;
  /** The namespace's change counter when the handshake loaded the principal (see onConnection). */
  checkedAtChange: number;
};

/** Between server processes (serverSideEmit): close this socket of yours, over the socket cap. */
type ServerSideEvents = { 'socket:over-cap': (socketId: string) => void };

export type SupportNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  ServerSideEvents,
  SupportSocketData
>;
export type SupportSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SupportSocketData>;

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  account: (userId: string) => `account:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  admins: 'admins',
  /** One support agent's sockets (while they hold SUPPORT_CHAT): their @mention alerts. */
  agent: (adminId: string) => `agent:${adminId}`,
} as const;

/**
 * How often every socket's session and account are looked up again. Changes arrive within a
 * second through the database's notifications (account-changes.ts); this sweep is the safety net.
 */
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

const samePrincipalShape = (a: Principal, b: Principal) =>
  a.kind === b.kind && (a.kind === 'admin' || (b.kind === 'user' && a.userType === b.userType));

export function createSupportNamespace(deps: {
  io: Server;
  db: Db;
  tokens: TokenService;
  logger: Logger;
  /** Open sockets per account, over every server process; a new one beyond it closes the oldest. */
  socketsPerAccount: number;
  /** Called for every authenticated socket, to register the chat's event handlers. */
  onConnection: (socket: SupportSocket) => void;
}): {
  nsp: SupportNamespace;
  stop(): void;
  recheckAccounts(): Promise<void>;
  onAccountChange(change: AccountChange): void;
} {
  const { db, logger } = deps;
  const nsp: SupportNamespace = deps.io.of(SUPPORT_NAMESPACE);
  /** Counts account changes heard; a handshake that overlapped one is checked again. */
  let changesHeard = 0;

  /** Puts the socket in exactly the support rooms its principal is entitled to. */
  async function joinEntitledRooms(socket: SupportSocket, principal: Principal) {
    if (principal.kind === 'user') {
      const conversations = await db.supportConversation.findMany({
        where: { userId: principal.userId },
        select: { id: true },
      });
      socket.join([rooms.user(principal.userId), ...conversations.map((c) => rooms.conversation(c.id))]);
    } else if (hasPermission(principal, 'SUPPORT_CHAT')) {
      socket.join([rooms.admins, rooms.agent(principal.adminId)]);
    } else {
      // An admin who lost SUPPORT_CHAT keeps no support room at all: not the admins room, not
      // one conversation room. Only the socket's own, account and session rooms stay.
      const { userId } = socket.data.principal;
      const keep = new Set([socket.id, rooms.account(userId), rooms.session(socket.data.sessionId)]);
      const viewed: string[] = [];
      for (const room of [...socket.rooms]) {
        if (keep.has(room)) continue;
        socket.leave(room);
        const conversationId = room.startsWith(viewersRoom('')) ? room.slice(viewersRoom('').length) : null;
        if (conversationId) viewed.push(conversationId);
      }
      // The colleagues viewing those conversations no longer count this agent.
      for (const conversationId of viewed) {
        publishViewers(nsp, conversationId).catch((error) =>
          logger.warn({ err: error, conversationId }, 'announcing viewers failed'),
        );
      }
    }
  }

  function endSocket(socket: SupportSocket, reason: SessionEndedReason) {
    socket.emit(ServerEvent.SESSION_ENDED, { reason });
    socket.disconnect(true);
  }

  nsp.use(async (socket, next) => {
    try {
      const token = bearerFromHandshake(socket);
      if (!token) throw errors.unauthenticated('Send your access token in the handshake: auth: { token }.');
      const claims = await deps.tokens.verify(token);
      const checkedAtChange = changesHeard;
      const { principal, displayName } = await loadSessionPrincipal(db, claims);
      socket.data = { principal, displayName, sessionId: claims.sid, tokenExpiresAt: claims.exp, checkedAtChange };
      // Joined before the connection is accepted: once the client sees `connect`, it gets events.
      socket.join([rooms.account(principal.userId), rooms.session(claims.sid)]);
      await joinEntitledRooms(socket as SupportSocket, principal);
      next();
    } catch (error) {
      next(connectError(error, logger));
    }
  });

  /** Each socket's token-expiry timer (see the connection handler). */
  const expiryTimers = new WeakMap<SupportSocket, NodeJS.Timeout>();
  function expireSocket(socket: SupportSocket) {
    socket.emit(ServerEvent.SESSION_EXPIRED);
    socket.disconnect(true);
  }
  function clearExpiry(this: SupportSocket) {
    clearTimeout(expiryTimers.get(this));
  }

  nsp.on('connection', (socket) => {
    const { tokenExpiresAt } = socket.data;
    // The HTTP upgrade request (headers, parser state) is kept by engine.io for the connection's
    // life but never read again once the handshake is built: letting it go saves memory on every
    // idle socket (Socket.IO's own advice for many connections).
    (socket.conn as { request: unknown }).request = null;
    // The handshake also stays for the socket's life, and travels to other processes with
    // fetchSockets: keep neither the access token (checked above) nor the headers, which may carry
    // the refresh cookie.
    socket.handshake.auth = {};
    socket.handshake.headers = {};

    // A socket lives no longer than its token; the client reconnects with a fresh one. The timer
    // and the listener are shared functions, so an idle socket holds no closure of its own.
    expiryTimers.set(socket, setTimeout(expireSocket, Math.max(0, tokenExpiresAt * 1000 - Date.now()), socket));
    socket.on('disconnect', clearExpiry);

    deps.onConnection(socket);
    // Counting asks every process through the adapter, which times out when one is slow to answer
    // (a busy machine): once more a second later, so that the cap still holds.
    const { userId } = socket.data.principal;
    closeOldestBeyondCap(userId)
      .catch(() => new Promise((resolve) => setTimeout(resolve, 1000)).then(() => closeOldestBeyondCap(userId)))
      .catch((error) => logger.error({ err: error }, 'enforcing the socket cap failed'));

    // A change heard while this handshake was loading may have missed the socket (it was not in
    // the namespace yet): look again.
    if (socket.data.checkedAtChange !== changesHeard) {
      recheckSockets([socket]).catch((error) => logger.error({ err: error }, 'rechecking a socket failed'));
    }
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
    for (const { id } of oldestFirst.slice(0, excess)) {
      const local = nsp.sockets.get(id);
      // A socket on another process is closed by that process: the notice and the close then go
      // out in this order (sent from here, they are two messages through the adapter, and with
      // PostgreSQL the close could arrive first, leaving the client without the reason).
      if (local) closeOverCap(local);
      else nsp.serverSideEmit('socket:over-cap', id);
    }
  }

  function closeOverCap(socket: SupportSocket) {
    socket.emit(ServerEvent.CONNECTION_CLOSED, {
      reason: 'TOO_MANY_CONNECTIONS',
      message: `This account has more than ${deps.socketsPerAccount} open connections; the oldest was closed.`,
    });
    socket.disconnect(true);
  }

  nsp.on('socket:over-cap', (socketId) => {
    const socket = nsp.sockets.get(socketId);
    if (socket) closeOverCap(socket);
  });

  /**
   * Looks the sessions behind these sockets up again (one query per RECHECK_BATCH sessions):
   * sockets of ended sessions and disabled accounts get `session:ended` and are closed; admins get
   * their current permissions and join or leave the admins room (and every conversation room).
   */
  async function recheckSockets(sockets: readonly SupportSocket[]) {
    const sessionIds = [...new Set(sockets.map((socket) => socket.data.sessionId))];
    for (let i = 0; i < sessionIds.length; i += RECHECK_BATCH) {
      const states = await loadSessionStates(db, sessionIds.slice(i, i + RECHECK_BATCH));
      for (const socket of sockets) {
        const state = states.get(socket.data.sessionId);
        if (!state || !socket.connected) continue;
        if (!state.live) {
          logger.info({ sessionId: state.sessionId, reason: state.reason }, 'socket session ended');
          endSocket(socket, state.reason);
          continue;
        }
        // A user who became an admin (or another kind of user) needs other rooms: start afresh.
        if (!samePrincipalShape(socket.data.principal, state.principal)) {
          endSocket(socket, 'account_changed');
          continue;
        }
        socket.data.principal = state.principal;
        socket.data.displayName = state.displayName;
        if (state.principal.kind === 'admin') await joinEntitledRooms(socket, state.principal);
      }
    }
  }

  /** This process's sockets in any of these rooms. */
  function localSocketsIn(roomNames: readonly string[]): SupportSocket[] {
    const found = new Map<string, SupportSocket>();
    for (const room of roomNames) {
      for (const id of nsp.adapter.rooms.get(room) ?? []) {
        const socket = nsp.sockets.get(id);
        if (socket) found.set(id, socket);
      }
    }
    return [...found.values()];
  }

  function onAccountChange(change: AccountChange) {
    changesHeard++;
    const sockets = change.all
      ? [...nsp.sockets.values()]
      : localSocketsIn([...(change.sessions ?? []).map(rooms.session), ...(change.users ?? []).map(rooms.account)]);
    if (sockets.length === 0) return;
    recheckSockets(sockets).catch((error) => logger.error({ err: error }, 'rechecking changed accounts failed'));
  }

  const recheckAccounts = () => recheckSockets([...nsp.sockets.values()]);
  const recheck = setInterval(() => {
    recheckAccounts().catch((error) => {
      // A database outage is logged once per incident; the next round tries again.
      if (isDatabaseUnavailable(error)) reportDatabaseFault(logger, 'socket account recheck', error);
      else logger.error({ err: error }, 'rechecking socket accounts failed');
    });
  }, PRINCIPAL_RECHECK_MS);

  return { nsp, stop: () => clearInterval(recheck), recheckAccounts, onAccountChange };
}
