import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../common/auth';
import type { ConversationDto } from '../../../common/support';
import { AuthTestProvider } from '../auth/AuthProvider';
import { mockFetch } from '../test/fetch-mock';
import { CONVERSATION_ID, makeConversation, makeMessage } from '../test/fixtures';
import type { ThreadData } from './cache';
import { assignErrorText, useAssignConversation, useSendMessage, useThread } from './hooks';
import { supportKeys } from './query-keys';

const customer: Me = { kind: 'user', userId: 'u1', userType: 'customer', displayName: 'Cleo' };

function wrapper(queryClient: QueryClient) {
  return ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <AuthTestProvider value={{ session: null, me: customer, login: vi.fn(), logout: vi.fn() }}>
        {children}
      </AuthTestProvider>
    </QueryClientProvider>
  );
}

const newClient = () => new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
const at = (minute: number) => `2025-03-10T10:${String(minute).padStart(2, '0')}:00.000Z`;

afterEach(() => vi.unstubAllGlobals());

describe('useThread', () => {
  it('loads the latest page and shows it oldest first', async () => {
    const older = makeMessage({ body: 'older', createdAt: at(1) });
    const newer = makeMessage({ body: 'newer', createdAt: at(2) });
    const calls = mockFetch({ status: 200, body: { items: [newer, older], hasMore: true } });
    const { result } = renderHook(() => useThread(CONVERSATION_ID), { wrapper: wrapper(newClient()) });
    await waitFor(() => expect(result.current.messages).toHaveLength(2));
    expect(result.current.messages.map((message) => message.body)).toEqual(['older', 'newer']);
    expect(result.current.hasOlder).toBe(true);
    expect(calls[0]?.url).toBe(`/api/support/conversations/${CONVERSATION_ID}/messages?limit=30`);
  });

  it('pages back with `before` the oldest message', async () => {
    const first = makeMessage({ body: 'first', createdAt: at(5) });
    const earlier = makeMessage({ body: 'earlier', createdAt: at(1) });
    const calls = mockFetch(
      { status: 200, body: { items: [first], hasMore: true } },
      { status: 200, body: { items: [earlier], hasMore: false } },
    );
    const { result } = renderHook(() => useThread(CONVERSATION_ID), { wrapper: wrapper(newClient()) });
    await waitFor(() => expect(result.current.messages).toHaveLength(1));
    await act(() => result.current.loadOlder());
    expect(calls[1]?.url).toContain(`before=${first.id}`);
    expect(result.current.messages.map((message) => message.body)).toEqual(['earlier', 'first']);
    expect(result.current.hasOlder).toBe(false);
  });

  it('catches up with `afterSeq` when a refetch finds a gap since the newest message held', async () => {
    const queryClient = newClient();
    const held = makeMessage({ body: 'held', createdAt: at(1), seq: 7 });
    // Held from before (stale), e.g. while the socket was down.
    queryClient.setQueryData<ThreadData>(
      supportKeys.thread(CONVERSATION_ID),
      { messages: [held], hasOlder: false },
      { updatedAt: 0 },
    );
    const missed = makeMessage({ body: 'missed', createdAt: at(2), seq: 8 });
    const latest = makeMessage({ body: 'latest', createdAt: at(40), seq: 9 });
    const calls = mockFetch(
      { status: 200, body: { items: [latest], hasMore: true } },
      { status: 200, body: { items: [missed, latest], hasMore: false } },
    );
    const { result } = renderHook(() => useThread(CONVERSATION_ID), { wrapper: wrapper(queryClient) });
    await waitFor(() => expect(result.current.messages).toHaveLength(3));
    expect(calls[1]?.url).toContain('afterSeq=7');
    expect(result.current.messages.map((message) => message.body)).toEqual(['held', 'missed', 'latest']);
  });
});

describe('useAssignConversation', () => {
  it('a lost "take" (409 ALREADY_ASSIGNED) says who has it and shows them as the assignee', async () => {
    const queryClient = newClient();
    const conversation = makeConversation({ id: CONVERSATION_ID });
    queryClient.setQueryData(supportKeys.conversation(CONVERSATION_ID), conversation);
    const marcus = { adminId: '00000000-0000-4000-8000-0000000000aa', displayName: 'Marcus' };
    mockFetch({
      status: 409,
      body: { error: { code: 'ALREADY_ASSIGNED', message: 'Already taken by Marcus.', details: { assignee: marcus } } },
    });
    const { result } = renderHook(() => useAssignConversation(CONVERSATION_ID), { wrapper: wrapper(queryClient) });
    act(() => result.current.mutate({}));
    await waitFor(() => expect(result.current.error).not.toBeNull());
    expect(assignErrorText(result.current.error)).toBe('Already taken by Marcus');
    expect(queryClient.getQueryData<ConversationDto>(supportKeys.conversation(CONVERSATION_ID))).toMatchObject({
      adminId: marcus.adminId,
      assignee: marcus,
    });
  });
});

describe('useSendMessage', () => {
  it('shows the message at once, then swaps in the stored copy', async () => {
    const queryClient = newClient();
    queryClient.setQueryData<ThreadData>(supportKeys.thread(CONVERSATION_ID), { messages: [], hasOlder: false });
    let answer: (value: Response) => void = () => {};
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((_url: string, init: RequestInit) => {
        calls.push(String(init.body));
        return new Promise<Response>((resolve) => {
          answer = resolve;
        });
      }),
    );
    const { result } = renderHook(() => useSendMessage(CONVERSATION_ID), { wrapper: wrapper(queryClient) });
    act(() => result.current.send('Hi there'));

    const thread = () => queryClient.getQueryData<ThreadData>(supportKeys.thread(CONVERSATION_ID));
    await waitFor(() => expect(thread()?.messages).toHaveLength(1));
    const optimistic = thread()?.messages[0];
    expect(optimistic).toMatchObject({ body: 'Hi there', pending: 'sending', senderType: 'user' });
    const sent = JSON.parse(calls[0] ?? '{}');
    expect(sent).toEqual({ body: 'Hi there', clientMessageId: optimistic?.clientMessageId });

    const stored = makeMessage({ body: 'Hi there', clientMessageId: sent.clientMessageId });
    answer(new Response(JSON.stringify(stored), { status: 201 }));
    await waitFor(() => expect(thread()?.messages[0]?.id).toBe(stored.id));
    expect(thread()?.messages).toHaveLength(1);
    expect(thread()?.messages[0]?.pending).toBeUndefined();
  });

  it('marks the message "failed" when sending fails, and a retry reuses its clientMessageId', async () => {
    const queryClient = newClient();
    queryClient.setQueryData<ThreadData>(supportKeys.thread(CONVERSATION_ID), { messages: [], hasOlder: false });
    const calls = mockFetch({ status: 503, body: { error: { code: 'INTERNAL', message: 'Down' } } });
    const { result } = renderHook(() => useSendMessage(CONVERSATION_ID), { wrapper: wrapper(queryClient) });
    act(() => result.current.send('Hello?'));
    const thread = () => queryClient.getQueryData<ThreadData>(supportKeys.thread(CONVERSATION_ID));
    await waitFor(() => expect(thread()?.messages[0]?.pending).toBe('failed'));

    const failed = thread()?.messages[0];
    if (!failed) throw new Error('no failed message');
    mockFetch({ status: 201, body: makeMessage({ body: 'Hello?', clientMessageId: failed.clientMessageId }) });
    act(() => result.current.retry(failed));
    await waitFor(() => expect(thread()?.messages[0]?.pending).toBeUndefined());
    expect(thread()?.messages).toHaveLength(1);
    expect(calls[0]?.body).toMatchObject({ clientMessageId: failed.clientMessageId });
  });
});
