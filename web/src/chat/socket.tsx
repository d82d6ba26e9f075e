// The support namespace's socket, one per signed-in tab. It authenticates with the current token
// on every (re)connect, reconnects after `session:expired` (the token was refreshed meanwhile),
// keeps the query cache in step with server events, and catches up after a reconnect.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  ClientEvent,
  type ClientToServerEvents,
  type ConversationViewer,
  ServerEvent,
  type ServerToClientEvents,
  SUPPORT_NAMESPACE,
  type TypingEvent,
  type ViewersEvent,
} from '../../../common/realtime';
import type { SenderType } from '../../../common/support';
import { refreshSession, useAuth } from '../auth/AuthProvider';
import { sessionStore } from '../auth/session-store';
import { viewerSideOf } from './hooks';
import { supportKeys } from './query-keys';
import { applyConversation, applyMessageFillingGaps, applyReceipt } from './realtime-cache';

export type SupportSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * connecting: first attempt; connected; reconnecting: lost and trying again (show a banner);
 * offline: not signed in or given up until the next sign-in.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

type SocketContextValue = { socket: SupportSocket | null; state: ConnectionState };

const SocketContext = createContext<SocketContextValue>({ socket: null, state: 'offline' });

/** Longest wait between manual reconnect attempts (after the server refused or closed the socket). */
const MAX_RETRY_MS = 30_000;

/** Unread totals follow socket events with at most this delay (and at most this often). */
const UNREAD_REFRESH_MS = 1000;

export function SupportSocketProvider({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<SocketContextValue>({ socket: null, state: 'offline' });
  // Only people who can chat: an admin without SUPPORT_CHAT would be refused at every attempt.
  const canChat = me?.kind === 'user' || Boolean(me?.permissions.includes('SUPPORT_CHAT'));
  const identity = me && canChat ? (me.kind === 'admin' ? `admin:${me.adminId}` : `user:${me.userId}`) : null;
  const side = viewerSideOf(me);
  const adminId = me?.kind === 'admin' ? me.adminId : null;

  useEffect(() => {
    if (!identity) return;
    const socket: SupportSocket = io(SUPPORT_NAMESPACE, {
      // WebSocket only: behind a load balancer no sticky sessions are needed (see deploy/nginx.conf).
      transports: ['websocket'],
      // A function, so every reconnect sends the token of that moment (it is refreshed in place).
      auth: (callback) => callback({ token: sessionStore.getToken() }),
    });
    const setState = (state: ConnectionState) => setValue({ socket, state });
    setState('connecting');

    let everConnected = false;
    let closed = false;
    let retryDelay = 1000;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const retry = (delay: number) => {
      if (closed) return;
      clearTimeout(retryTimer);
      setState('reconnecting');
      retryTimer = setTimeout(() => {
        if (sessionStore.getToken()) socket.connect();
      }, delay);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
    };

    socket.on('connect', () => {
      retryDelay = 1000;
      setState('connected');
      // Fetch what was missed while away: threads catch up by seq (afterSeq), lists and totals reload.
      if (everConnected) void queryClient.invalidateQueries({ queryKey: supportKeys.all });
      everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      // The server closed it (token expired, or access changed): the client will not retry by itself.
      if (reason === 'io server disconnect') retry(retryDelay);
      else setState('reconnecting');
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      const code = error.data?.code;
      if (code === 'UNAUTHENTICATED' || code === 'TOKEN_EXPIRED') {
        // Only a token or account problem says so. Ask the API: a 401 there ends the session
        // (apiFetch signs the person out); a new token is used by the next attempt.
        setState('reconnecting');
        refreshSession().then(
          () => retry(retryDelay),
          () => retry(retryDelay),
        );
        return;
      }
      // Anything else (DATABASE_UNAVAILABLE, SERVICE_UNAVAILABLE: `retryable`, or a network
      // failure) keeps the session. A refusal in the handshake ends automatic retries: retry later,
      // with a growing delay, under the reconnecting banner.
      if (!socket.active) retry(retryDelay);
      else if (everConnected) setState('reconnecting');
    });
    socket.on(ServerEvent.SESSION_EXPIRED, () => {
      // The server closes the socket next; reconnect at once with the refreshed token.
      retryDelay = 250;
    });
    socket.on(ServerEvent.SESSION_ENDED, () => {
      // Signed out (here, in another tab or everywhere), or the account was disabled: to the login page.
      sessionStore.clear('expired');
    });

    // Unread totals are re-read at most once per UNREAD_REFRESH_MS, however busy the inbox is.
    let unreadRefresh: ReturnType<typeof setTimeout> | undefined;
    const refreshUnreadSoon = () => {
      unreadRefresh ??= setTimeout(() => {
        unreadRefresh = undefined;
        void queryClient.invalidateQueries({ queryKey: supportKeys.unread(side) });
      }, UNREAD_REFRESH_MS);
    };
    const onConversation = ({ conversation }: { conversation: Parameters<typeof applyConversation>[1] }) => {
      applyConversation(queryClient, conversation, adminId);
      refreshUnreadSoon();
    };
    socket.on(ServerEvent.MESSAGE_CREATED, (event) => {
      applyMessageFillingGaps(queryClient, event.message);
      onConversation(event);
    });
    socket.on(ServerEvent.MESSAGES_READ, (event) => {
      applyReceipt(queryClient, event, side);
      onConversation(event);
    });
    socket.on(ServerEvent.CONVERSATION_CREATED, onConversation);
    socket.on(ServerEvent.CONVERSATION_UPDATED, onConversation);

    return () => {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(unreadRefresh);
      socket.removeAllListeners();
      socket.disconnect();
      setValue({ socket: null, state: 'offline' });
    };
  }, [identity, queryClient, side, adminId]);

  return <SocketContext.Provider value={value}>{children}</SocketContext.Provider>;
}

/** The socket (null until signed in) and its connection state. */
export function useSupportSocket(): SocketContextValue {
  return useContext(SocketContext);
}

type ServerEventName = keyof ServerToClientEvents;

/** Subscribes to a server event for as long as the component is mounted. */
export function useSupportEvent<E extends ServerEventName>(event: E, handler: ServerToClientEvents[E]) {
  const { socket } = useSupportSocket();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = ((...args: unknown[]) =>
      (latest.current as (...args: unknown[]) => void)(...args)) as unknown as ServerToClientEvents[E];
    // socket.io's typed `on` does not narrow a generic event name.
    (socket.on as (event: E, listener: ServerToClientEvents[E]) => void)(event, listener);
    return () => {
      (socket.off as (event: E, listener: ServerToClientEvents[E]) => void)(event, listener);
    };
  }, [socket, event]);
}

/**
 * Admins receive a conversation's typing events only after joining it; re-joins after every
 * reconnect and leaves when the conversation closes. (Users are joined to their own already.)
 */
export function useJoinConversation(conversationId: string | null | undefined) {
  const { socket, state } = useSupportSocket();
  useEffect(() => {
    if (!socket || !conversationId || state !== 'connected') return;
    socket.emit(ClientEvent.CONVERSATION_JOIN, { conversationId }, () => {});
    return () => {
      if (socket.connected) socket.emit(ClientEvent.CONVERSATION_LEAVE, { conversationId }, () => {});
    };
  }, [socket, conversationId, state]);
}

/** Typing start/stop for the Composer's callbacks. */
export function useTypingEmitter(conversationId: string | null | undefined) {
  const { socket } = useSupportSocket();
  const emit = useCallback(
    (event: typeof ClientEvent.TYPING_START | typeof ClientEvent.TYPING_STOP) => {
      if (socket?.connected && conversationId) socket.emit(event, { conversationId });
    },
    [socket, conversationId],
  );
  return useMemo(
    () => ({
      onTypingStart: () => emit(ClientEvent.TYPING_START),
      onTypingStop: () => emit(ClientEvent.TYPING_STOP),
    }),
    [emit],
  );
}

/** A typing indicator fades after this long without news (a lost "stop" must not stick). */
const TYPING_TIMEOUT_MS = 8000;

type Typer = { senderType: SenderType; adminId: string | null; name: string };

/** Everyone else typing in a conversation now (never the viewer, nor their own other tabs). */
function useTypers(conversationId: string | null | undefined, userName: string): Typer[] {
  const { me } = useAuth();
  const side = viewerSideOf(me);
  const ownAdminId = me?.kind === 'admin' ? me.adminId : null;
  const [typing, setTyping] = useState<Record<string, Typer>>({});
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new conversation starts with nobody typing
  useEffect(() => {
    setTyping({});
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    };
  }, [conversationId]);

  useSupportEvent(ServerEvent.TYPING, (event: TypingEvent) => {
    if (event.conversationId !== conversationId) return;
    if (event.senderType === side) {
      if (side === 'user') return;
      // Admins' copies name the typing agent by id: only our own tabs are left out.
      if (event.adminId ? event.adminId === ownAdminId : event.name === me?.displayName) return;
    }
    const adminId = event.adminId ?? null;
    const key = `${event.senderType}:${adminId ?? event.name ?? ''}`;
    const name = event.senderType === 'admin' ? (event.name ?? 'Support') : userName;
    clearTimeout(timers.current.get(key));
    const remove = () =>
      setTyping((current) => {
        const { [key]: _removed, ...rest } = current;
        return rest;
      });
    if (event.isTyping) {
      setTyping((current) => ({ ...current, [key]: { senderType: event.senderType, adminId, name } }));
      timers.current.set(key, setTimeout(remove, TYPING_TIMEOUT_MS));
    } else {
      remove();
    }
  });

  return useMemo(() => Object.values(typing), [typing]);
}

/**
 * Who is typing in a conversation, as names for <TypingIndicator>: the other side, and for
 * admins also fellow admins unless `colleagues: false` (the dashboard shows them in its presence
 * line). `userName` names the conversation's user (admins' view).
 */
export function useTypingNames(
  conversationId: string | null | undefined,
  options: { userName?: string; colleagues?: boolean } = {},
): string[] {
  const { me } = useAuth();
  const side = viewerSideOf(me);
  const typers = useTypers(conversationId, options.userName ?? (side === 'admin' ? 'The customer' : 'You'));
  const colleagues = options.colleagues ?? true;
  return useMemo(
    () =>
      typers
        .filter((typer) => colleagues || side !== 'admin' || typer.senderType !== 'admin')
        .map((typer) => typer.name),
    [typers, colleagues, side],
  );
}

/** Admins: the other agents typing a reply in this conversation (not the user, not yourself). */
export function useColleaguesTyping(conversationId: string | null | undefined): ConversationViewer[] {
  const typers = useTypers(conversationId, '');
  return useMemo(
    () =>
      typers
        .filter((typer) => typer.senderType === 'admin')
        .map((typer) => ({ adminId: typer.adminId ?? typer.name, displayName: typer.name })),
    [typers],
  );
}

/** The viewers list is asked for again this often: a crashed server process's viewers drop out. */
const VIEWERS_REFRESH_MS = 20_000;

/**
 * Admins: announces that this tab has the conversation open (again after every reconnect, and
 * stops when it closes), and returns every agent viewing it, the viewer included (see
 * `viewers:updated` in the engineering guide).
 */
export function useConversationViewers(conversationId: string | null | undefined): ConversationViewer[] {
  const { socket, state } = useSupportSocket();
  const [current, setCurrent] = useState<ViewersEvent | null>(null);
  useEffect(() => {
    if (!socket || !conversationId || state !== 'connected') return;
    let stopped = false;
    const ask = () =>
      socket.emit(ClientEvent.VIEWING_START, { conversationId }, (ack) => {
        if (!stopped && ack.ok) setCurrent({ conversationId, viewers: ack.viewers });
      });
    ask();
    const refresh = setInterval(ask, VIEWERS_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(refresh);
      setCurrent(null);
      if (socket.connected) socket.emit(ClientEvent.VIEWING_STOP, { conversationId });
    };
  }, [socket, conversationId, state]);
  useSupportEvent(ServerEvent.VIEWERS_UPDATED, (event: ViewersEvent) => {
    if (event.conversationId === conversationId) setCurrent(event);
  });
  return useMemo(
    () => (current && current.conversationId === conversationId ? current.viewers : []),
    [current, conversationId],
  );
}

/** A slim banner while the live connection is down (messages still send over HTTP). */
export function ConnectionBanner() {
  const { state } = useSupportSocket();
  if (state !== 'reconnecting') return null;
  return (
    <div role="status" className="bg-amber-50 px-4 py-1.5 text-center text-xs font-medium text-amber-800">
      Reconnecting… Live updates are paused.
    </div>
  );
}
