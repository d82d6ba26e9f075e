// Live alerts for @mentions: a toast per new mention (who, in which conversation, Open), for a few
// seconds. Mounted once for every admin page (AdminShell); it also keeps notes and mentions live.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MentionCreatedEvent } from '../../../../common/notes';
import { CloseIcon } from '../../ui/icons';
import { useNoteEvents } from './notes';

const ALERT_MS = 10_000;
const MAX_ALERTS = 3;

type Alert = { id: string; conversationId: string; text: string };

export function MentionAlerts({ onOpen }: { onOpen: (conversationId: string) => void }) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setAlerts((current) => current.filter((alert) => alert.id !== id));
  }, []);

  useNoteEvents((event: MentionCreatedEvent) => {
    const who = event.note.authorName ?? 'A colleague';
    const alert = {
      id: event.note.id,
      conversationId: event.note.conversationId,
      text: `${who} mentioned you in a note on ${event.userName}'s conversation`,
    };
    setAlerts((current) => [...current.filter((a) => a.id !== alert.id), alert].slice(-MAX_ALERTS));
    timers.current.set(
      alert.id,
      setTimeout(() => dismiss(alert.id), ALERT_MS),
    );
  });

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
    };
  }, []);

  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed right-3 bottom-3 left-3 z-50 flex flex-col items-end gap-2 sm:left-auto sm:w-96"
    >
      {alerts.map((alert) => (
        <div
          key={alert.id}
          data-testid="mention-alert"
          className="pointer-events-auto flex w-full items-center gap-2 rounded-xl border border-amber-300 bg-amber-50 py-2 pr-1 pl-3 text-sm text-amber-950 shadow-lg"
        >
          <span className="min-w-0 flex-1">{alert.text}</span>
          <button
            type="button"
            onClick={() => {
              dismiss(alert.id);
              onOpen(alert.conversationId);
            }}
            className="min-h-11 rounded-lg px-3 font-medium text-amber-900 hover:bg-amber-100"
          >
            Open
          </button>
          <button
            type="button"
            onClick={() => dismiss(alert.id)}
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
