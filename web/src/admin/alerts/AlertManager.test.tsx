// The alert manager wired to the socket: server events in, notification / sound / tab title out,
// as the agent's switches say; nothing for the conversation on screen; the count clears as the
// agent reads. socket.io-client is replaced by a stand-in so the test can play the server.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AlertPreferences, DEFAULT_ALERT_PREFERENCES } from '../../../../common/alerts';
import type { Me } from '../../../../common/auth';
import { ServerEvent } from '../../../../common/realtime';
import type { ConversationDto } from '../../../../common/support';
import { AuthTestProvider } from '../../auth/AuthProvider';
import { SupportSocketProvider } from '../../chat/socket';
import { FakeSocket } from '../../test/fake-socket';
import { mockApi } from '../../test/fetch-mock';
import { makeConversation, makeMessage, uuid } from '../../test/fixtures';
import { AlertManager } from './AlertManager';

const sockets: FakeSocket[] = [];
vi.mock('socket.io-client', () => ({
  io: vi.fn(() => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  }),
}));

const me: Me = {
  kind: 'admin',
  userId: uuid(),
  adminId: uuid(),
  permissions: ['SUPPORT_CHAT'],
  displayName: 'Marcus Lee',
};
const user = { userId: uuid(), displayName: 'Liam Patel', email: 'liam@example.com', phone: null } as never;
const onScreen = makeConversation({ adminId: me.adminId, user });
const other = makeConversation({ adminId: me.adminId, user, unreadCount: 1 });

let shown: { title: string; body?: string }[];
let sounds: number;

function stubBrowser() {
  shown = [];
  sounds = 0;
  class FakeNotification {
    static permission = 'granted';
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body });
    }
    close() {}
  }
  class FakeAudioContext {
    state = 'running';
    currentTime = 0;
    destination = {};
    resume = async () => {};
    createGain = () => ({
      gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} },
      connect: (target: unknown) => target,
    });
    createOscillator = () => ({
      type: 'sine',
      frequency: { value: 0 },
      connect: (target: unknown) => target,
      start: () => {
        sounds += 1;
      },
      stop() {},
    });
  }
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('AudioContext', FakeAudioContext);
}

async function renderManager(preferences: AlertPreferences = DEFAULT_ALERT_PREFERENCES) {
  mockApi({ '/api/admin/support/alert-preferences': { status: 200, body: preferences } });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuthTestProvider value={{ session: null, me }}>
        <SupportSocketProvider>
          <MemoryRouter initialEntries={[`/admin/support-chat/${onScreen.id}`]}>
            <AlertManager onOpen={() => {}} />
          </MemoryRouter>
        </SupportSocketProvider>
      </AuthTestProvider>
    </QueryClientProvider>,
  );
  // The switches are loaded before anything alerts.
  await vi.waitFor(() => expect(client.getQueryData(['support', 'alert-preferences'])).toBeTruthy());
  return sockets[sockets.length - 1] as FakeSocket;
}

const userMessage = (conversation: ConversationDto) => ({
  message: makeMessage({ conversationId: conversation.id }),
  conversation,
});

beforeEach(() => {
  sockets.length = 0;
  stubBrowser();
});
afterEach(() => vi.unstubAllGlobals());

describe('AlertManager', () => {
  it('alerts for my other conversation on every channel, and for the open one not at all', async () => {
    const socket = await renderManager();
    socket.serverSends(ServerEvent.MESSAGE_CREATED, userMessage(onScreen));
    expect(shown).toEqual([]);
    expect(sounds).toBe(0);
    expect(document.title).toBe('Support chat');

    socket.serverSends(ServerEvent.MESSAGE_CREATED, userMessage(other));
    expect(shown).toEqual([{ title: 'New message from Liam Patel', body: 'In a conversation assigned to you' }]);
    expect(sounds).toBe(2); // two tones of one sound
    expect(document.title).toBe('(1) Support chat');

    // Read in another tab: the count clears.
    socket.serverSends(ServerEvent.MESSAGES_READ, { conversation: { ...other, unreadCount: 0 } });
    expect(document.title).toBe('Support chat');
  });

  it('keeps a switched-off channel silent and the others working', async () => {
    const socket = await renderManager({
      ...DEFAULT_ALERT_PREFERENCES,
      message: { notification: false, sound: false, title: true },
    });
    socket.serverSends(ServerEvent.MESSAGE_CREATED, userMessage(other));
    expect(shown).toEqual([]);
    expect(sounds).toBe(0);
    expect(document.title).toBe('(1) Support chat');
  });

  it('alerts for the queue until someone takes it, and shows a mention as a toast', async () => {
    const socket = await renderManager();
    const waiting = makeConversation({ user });
    socket.serverSends(ServerEvent.CONVERSATION_QUEUED, { conversation: waiting });
    expect(shown.map((n) => n.title)).toEqual(['New conversation waiting']);
    expect(sounds).toBe(0); // the queue's sound is off by default
    expect(document.title).toBe('(1) Support chat');
    socket.serverSends(ServerEvent.CONVERSATION_UPDATED, { conversation: { ...waiting, adminId: uuid() } });
    expect(document.title).toBe('Support chat');

    const note = {
      id: uuid(),
      conversationId: other.id,
      seq: 1,
      authorAdminId: uuid(),
      authorName: 'Sofia Reyes',
      body: 'Please call them',
      mentions: [{ adminId: me.adminId, displayName: 'Marcus Lee' }],
      clientNoteId: null,
      createdAt: '2025-03-10T10:01:00.000Z',
    };
    socket.serverSends(ServerEvent.MENTION_CREATED, { note, userName: 'Liam Patel' });
    expect(screen.getByTestId('mention-alert')).toHaveTextContent(
      "Sofia Reyes mentioned you in a note on Liam Patel's conversation",
    );
    expect(shown.map((n) => n.title)).toEqual(['New conversation waiting', 'Sofia Reyes mentioned you']);
    // The same event again (a retried write is published again): one alert.
    socket.serverSends(ServerEvent.MENTION_CREATED, { note, userName: 'Liam Patel' });
    expect(shown).toHaveLength(2);
  });
});
