// The agent's alerts, on every admin page (mounted once in AdminShell): turns live socket events
// into a browser notification, a sound and the tab title count, as the agent's switches say
// (api.ts; which events alert: decide.ts). A mention also shows a toast in the page with *Open*.
// The title count clears as the agent reads: opening a conversation (with the tab visible) reads
// its alerts; a queued one goes once someone takes it, a message one once its messages are read.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { ServerEvent } from '../../../../common/realtime';
import type { ConversationDto } from '../../../../common/support';
import { useViewer } from '../../chat/hooks';
import { useSupportEvent } from '../../chat/socket';
import { CloseIcon } from '../../ui/icons';
import { useNoteEvents } from '../notes/notes';
import { useAlertPreferences } from './api';
import { showNotification } from './browser-notifications';
import {
  type Alert,
  type AlertEvent,
  addPending,
  alertFor,
  channelsFor,
  clearConversation,
  type Pending,
  settleConversation,
  titleCount,
  titleText,
} from './decide';
import { playAlertSound } from './sound';

const TOAST_MS = 10_000;
const MAX_TOASTS = 3;
/** Several alerts at once make one sound. */
const SOUND_GAP_MS = 1000;
const MAX_SEEN = 2000;
const OPEN_CONVERSATION = /^\/admin\/support-chat\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function useTabVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

export function AlertManager({ onOpen }: { onOpen: (conversationId: string) => void }) {
  const { adminId } = useViewer();
  const preferences = useAlertPreferences();
  const { pathname } = useLocation();
  const openConversationId = OPEN_CONVERSATION.exec(pathname)?.[1] ?? null;
  const tabVisible = useTabVisible();
  const [pending, setPending] = useState<Pending>([]);
  const [toasts, setToasts] = useState<Alert[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const lastSound = useRef(0);
  const seen = useRef(new Set<string>());

  // Handlers read the page as it is now.
  const context = useRef({ adminId, openConversationId, tabVisible, preferences: preferences.data, onOpen });
  context.current = { adminId, openConversationId, tabVisible, preferences: preferences.data, onOpen };

  const dismissToast = useCallback((key: string) => {
    clearTimeout(timers.current.get(key));
    timers.current.delete(key);
    setToasts((current) => current.filter((toast) => toast.key !== key));
  }, []);

  const raise = (event: AlertEvent) => {
    const { preferences: switches, ...page } = context.current;
    // Until the agent's switches are known, nothing alerts (a switched-off channel stays off).
    if (!switches) return;
    const alert = alertFor(event, page);
    if (!alert || seen.current.has(alert.key)) return;
    // A retried send is broadcast again: each happening alerts once. (Bounded: a long shift.)
    if (seen.current.size > MAX_SEEN) seen.current.clear();
    seen.current.add(alert.key);
    const channels = channelsFor(alert, switches);
    setPending((current) => addPending(current, alert));
    if (channels.notification) showNotification(alert, (id) => context.current.onOpen(id));
    if (channels.sound && Date.now() - lastSound.current > SOUND_GAP_MS) {
      lastSound.current = Date.now();
      playAlertSound();
    }
    if (alert.kind === 'mention') {
      setToasts((current) => [...current.filter((t) => t.key !== alert.key), alert].slice(-MAX_TOASTS));
      timers.current.set(
        alert.key,
        setTimeout(() => dismissToast(alert.key), TOAST_MS),
      );
    }
  };
  const settle = (conversation: ConversationDto) =>
    setPending((current) => settleConversation(current, conversation, context.current.adminId));

  useSupportEvent(ServerEvent.CONVERSATION_QUEUED, ({ conversation }) => raise({ type: 'queued', conversation }));
  useSupportEvent(ServerEvent.MESSAGE_CREATED, ({ message, conversation }) => {
    settle(conversation);
    raise({ type: 'message', message, conversation });
  });
  useSupportEvent(ServerEvent.CONVERSATION_UPDATED, ({ conversation }) => settle(conversation));
  useSupportEvent(ServerEvent.MESSAGES_READ, ({ conversation }) => settle(conversation));
  // Also keeps notes and the Mentions view live.
  useNoteEvents((event) => raise({ type: 'mention', event }));

  // Looking at a conversation reads its alerts.
  useEffect(() => {
    if (openConversationId && tabVisible) setPending((current) => clearConversation(current, openConversationId));
  }, [openConversationId, tabVisible]);

  const count = preferences.data ? titleCount(pending, preferences.data) : 0;
  useEffect(() => {
    document.title = titleText(count);
  }, [count]);
  useEffect(() => {
    const previous = document.title;
    const pendingTimers = timers.current;
    return () => {
      document.title = previous;
      for (const timer of pendingTimers.values()) clearTimeout(timer);
    };
  }, []);

  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed right-3 bottom-3 left-3 z-50 flex flex-col items-end gap-2 sm:left-auto sm:w-96"
    >
      {toasts.map((toast) => (
        <div
          key={toast.key}
          data-testid="mention-alert"
          className="pointer-events-auto flex w-full items-center gap-2 rounded-xl border border-amber-300 bg-amber-50 py-2 pr-1 pl-3 text-sm text-amber-950 shadow-lg"
        >
          <span className="min-w-0 flex-1">{toast.text}</span>
          <button
            type="button"
            onClick={() => {
              dismissToast(toast.key);
              onOpen(toast.conversationId);
            }}
            className="min-h-11 rounded-lg px-3 font-medium text-amber-900 hover:bg-amber-100"
          >
            Open
          </button>
          <button
            type="button"
            onClick={() => dismissToast(toast.key)}
            aria-label="Dismiss"
            className="inline-flex h-11 w-11 items-center justify-center rounded-lg text-amber-800 hover:bg-amber-100"
          >
            <CloseIcon className="h-4 w-4" />
          </button>
        </div>
      ))}
    </div>
  );
}
