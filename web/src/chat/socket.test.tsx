import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../common/auth';
import { ServerEvent, SUPPORT_NAMESPACE } from '../../../common/realtime';
import type { ConversationDto } from '../../../common/support';
import { AuthTestProvider } from '../auth/AuthProvider';
import { sessionStore } from '../auth/session-store';
import { FakeSocket } from '../test/fake-socket';
import { mockFetch } from '../test/fetch-mock';
import { CONVERSATION_ID, makeConversation, makeMessage } from '../test/fixtures';
import type { ThreadData } from './cache';
import { supportKeys } from './query-keys';
import { ConnectionBanner, SupportSocketProvider, useSupportSocket } from './socket';

type SocketOptions = { auth: (callback: (data: object) => void) => void };
const sockets: FakeSocket<SocketOptions>[] = [];
vi.mock('socket.io-client', () => ({
  io: vi.fn((namespace: string, options: SocketOptions) => {
    const socket = new FakeSocket(options);
    sockets.push(Object.assign(socket, { namespace }));
    return socket;
  }),
}));

const driver: Me = {
  kind: 'user',
  userId: '00000000-0000-4000-8000-00000000d001',
  userType: 'driver',
  displayName: 'D',
};

function State() {
  return <p data-testid="state">{useSupportSocket().state}</p>;
}

function setup(me: Me | null) {
  const queryClient = new QueryClient();
  const wrapper = (children: ReactNode) => (
    <QueryClientProvider client={queryClient}>
      <AuthTestProvider value={{ session: null, me, login: vi.fn(), logout: vi.fn() }}>
        <SupportSocketProvider>{children}</SupportSocketProvider>
      </AuthTestProvider>
    </QueryClientProvider>
  );
  render(
    wrapper(
      <>
        <State />
        <ConnectionBanner />
      </>,
    ),
  );
  return { queryClient, socket: sockets[sockets.length - 1] as FakeSocket<SocketOptions> };
}

beforeEach(() => {
  sockets.length = 0;
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  sessionStore.clear('signed-out');
});

describe('SupportSocketProvider', () => {
  it('connects to the support namespace only when someone who can chat is signed in', () => {
    setup(null);
    expect(sockets).toHaveLength(0);
    setup({ kind: 'admin', userId: 'u', adminId: 'a', permissions: ['SETTINGS_MANAGE'], displayName: 'S' });
    expect(sockets).toHaveLength(0);
    setup(driver);
    expect(sockets).toHaveLength(1);
    expect((sockets[0] as unknown as { namespace: string }).namespace).toBe(SUPPORT_NAMESPACE);
  });

  it('sends the token of the moment on every (re)connect', () => {
    const { socket } = setup(driver);
    const tokenOf = () => {
      let sent: object = {};
      socket.options?.auth((data) => {
        sent = data;
      });
      return sent;
    };
    sessionStore.set({ token: 'first', expiresAt: new Date(Date.now() + 600_000).toISOString(), me: driver });
    expect(tokenOf()).toEqual({ token: 'first' });
    sessionStore.set({ token: 'refreshed', expiresAt: new Date(Date.now() + 900_000).toISOString(), me: driver });
    expect(tokenOf()).toEqual({ token: 'refreshed' });
  });

  it('reports the connection state and shows a banner while reconnecting', () => {
    const { socket } = setup(driver);
    expect(screen.getByTestId('state')).toHaveTextContent('connecting');
    socket.serverSends('connect');
    expect(screen.getByTestId('state')).toHaveTextContent('connected');
    expect(screen.queryByText(/Reconnecting/)).not.toBeInTheDocument();
    socket.serverSends('disconnect', 'transport close');
    expect(screen.getByTestId('state')).toHaveTextContent('reconnecting');
    expect(screen.getByText(/Reconnecting/)).toBeInTheDocument();
  });

  it('reconnects soon after session:expired closes the socket', () => {
    sessionStore.set({ token: 'fresh', expiresAt: new Date(Date.now() + 600_000).toISOString(), me: driver });
    const { socket } = setup(driver);
    socket.serverSends('connect');
    socket.serverSends(ServerEvent.SESSION_EXPIRED);
    socket.serverSends('disconnect', 'io server disconnect');
    expect(socket.connect).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(300);
    });
    expect(socket.connect).toHaveBeenCalledTimes(1);
  });

  it('merges message:created into a loaded thread once, and applies messages:read', () => {
    const { queryClient, socket } = setup(driver);
    const own = makeMessage({ senderType: 'user', createdAt: '2025-03-10T10:00:00.000Z' });
    queryClient.setQueryData<ThreadData>(supportKeys.thread(own.conversationId), { messages: [own], hasOlder: false });

    const reply = makeMessage({ senderType: 'admin', senderName: 'Sam', createdAt: '2025-03-10T10:01:00.000Z' });
    const conversation = makeConversation({
      id: own.conversationId,
      unreadCount: 1,
      updatedAt: '2025-03-10T10:01:00.000Z',
    });
    socket.serverSends(ServerEvent.MESSAGE_CREATED, { message: reply, conversation });
    socket.serverSends(ServerEvent.MESSAGE_CREATED, { message: reply, conversation });
    expect(queryClient.getQueryData<ConversationDto>(supportKeys.conversation(own.conversationId))?.unreadCount).toBe(
      1,
    );
    socket.serverSends(ServerEvent.MESSAGES_READ, {
      conversation: { ...conversation, updatedAt: '2025-03-10T10:02:00.000Z' },
      conversationId: own.conversationId,
      readerType: 'admin',
      upToMessageId: own.id,
      upToCreatedAt: own.createdAt,
      readAt: '2025-03-10T10:02:00.000Z',
      markedCount: 1,
      unreadCount: 0,
    });

    const thread = queryClient.getQueryData<ThreadData>(supportKeys.thread(own.conversationId));
    expect(thread?.messages.map((message) => message.id)).toEqual([own.id, reply.id]);
    expect(thread?.messages[0]?.read).toBe(true);
    expect(thread?.messages[1]?.read).toBe(false);
  });

  it('fills a gap that a seq reveals (afterSeq), and keeps a republished message once', async () => {
    const { queryClient, socket } = setup(driver);
    const conversationId = CONVERSATION_ID;
    const seen = makeMessage({ seq: 1, createdAt: '2025-03-10T10:00:00.000Z' });
    queryClient.setQueryData<ThreadData>(supportKeys.thread(conversationId), { messages: [seen], hasOlder: false });
    const missed = [2, 3].map((seq) => makeMessage({ seq, createdAt: `2025-03-10T10:0${seq}:00.000Z` }));
    const live = makeMessage({ seq: 4, createdAt: '2025-03-10T10:04:00.000Z' });
    const calls = mockFetch({ status: 200, body: { items: [...missed, live], hasMore: false } });
    const conversation = makeConversation({ id: conversationId, updatedAt: '2025-03-10T10:04:00.000Z' });

    socket.serverSends(ServerEvent.MESSAGE_CREATED, { message: live, conversation });
    const seqs = () =>
      queryClient.getQueryData<ThreadData>(supportKeys.thread(conversationId))?.messages.map((message) => message.seq);
    await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3, 4]));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(`/api/support/conversations/${conversationId}/messages?afterSeq=1&limit=100`);

    // A retry elsewhere publishes seq 3 again: merged by id, no second fetch (no gap).
    socket.serverSends(ServerEvent.MESSAGE_CREATED, { message: missed[1], conversation });
    expect(seqs()).toEqual([1, 2, 3, 4]);
    expect(calls).toHaveLength(1);
  });

  it('catches up after a reconnect by refreshing support queries', () => {
    const { queryClient, socket } = setup(driver);
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    socket.serverSends('connect');
    expect(invalidate).not.toHaveBeenCalled();
    socket.serverSends('disconnect', 'transport close');
    socket.serverSends('connect');
    expect(invalidate).toHaveBeenCalledWith({ queryKey: supportKeys.all });
  });

  describe('when the server refuses the handshake', () => {
    const refusal = (code: string, retryable?: boolean) =>
      Object.assign(new Error('refused'), { data: { code, message: 'refused', ...(retryable ? { retryable } : {}) } });
    const signIn = () =>
      sessionStore.set({ token: 'valid', expiresAt: new Date(Date.now() + 600_000).toISOString(), me: driver });

    it('keeps the session, shows the banner and retries with growing delays on a retryable code', () => {
      signIn();
      const fetchSpy = vi.spyOn(globalThis, 'fetch');
      const { socket } = setup(driver);
      socket.active = false;
      socket.serverSends('connect_error', refusal('DATABASE_UNAVAILABLE', true));
      expect(screen.getByText(/Reconnecting/)).toBeInTheDocument();
      act(() => {
        vi.advanceTimersByTime(1000);
      });
      expect(socket.connect).toHaveBeenCalledTimes(1);
      socket.serverSends('connect_error', refusal('SERVICE_UNAVAILABLE', true));
      act(() => {
        vi.advanceTimersByTime(1500);
      });
      expect(socket.connect).toHaveBeenCalledTimes(1);
      act(() => {
        vi.advanceTimersByTime(600);
      });
      expect(socket.connect).toHaveBeenCalledTimes(2);
      // Nothing asked the API about the session, and it is still there.
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(sessionStore.getToken()).toBe('valid');
    });

    it('asks the API whether the session is over when the token is refused, and signs out on a 401', async () => {
      signIn();
      const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
        new Response(JSON.stringify({ error: { code: 'SESSION_EXPIRED', message: 'Sign in again.' } }), {
          status: 401,
        }),
      );
      const { socket } = setup(driver);
      socket.active = false;
      socket.serverSends('connect_error', refusal('UNAUTHENTICATED'));
      await vi.waitFor(() => expect(sessionStore.getToken()).toBeNull());
      expect(fetchSpy).toHaveBeenCalledWith('/api/auth/refresh', expect.objectContaining({ method: 'POST' }));
    });

    it('reconnects with the refreshed token when the API still accepts the session', async () => {
      signIn();
      vi.spyOn(globalThis, 'fetch').mockResolvedValue(
        new Response(
          JSON.stringify({ token: 'renewed', expiresAt: new Date(Date.now() + 900_000).toISOString(), me: driver }),
          { status: 200 },
        ),
      );
      const { socket } = setup(driver);
      socket.active = false;
      socket.serverSends('connect_error', refusal('TOKEN_EXPIRED'));
      await vi.waitFor(() => expect(sessionStore.getToken()).toBe('renewed'));
      act(() => {
        vi.advanceTimersByTime(1000);
      });
      expect(socket.connect).toHaveBeenCalledTimes(1);
    });
  });
});
