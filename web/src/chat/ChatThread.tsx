// The message history of one conversation: day separators, own messages on the right, history
// paging at the top (keeping the reader's place), auto-scroll to the newest message unless the
// reader scrolled up, in which case a "New messages" pill appears instead.
import { Fragment, type ReactNode, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { SenderType } from '../../../common/support';
import { errorMessage } from '../api/api-error';
import { Button } from '../ui/Button';
import { ArrowDownIcon } from '../ui/icons';
import { Spinner } from '../ui/Spinner';
import type { RefreshUrls } from './attachment-urls';
import type { ChatMessage } from './cache';
import { DaySeparator } from './DaySeparator';
import { isSameDay } from './format';
import { MessageBubble } from './MessageBubble';

/** Something shown among the messages by time, e.g. an admin's internal note. */
export type InterleavedItem = { id: string; createdAt: string; own: boolean; node: ReactNode };

type Entry =
  | { kind: 'message'; key: string; id: string; createdAt: string; own: boolean; message: ChatMessage }
  | { kind: 'item'; key: string; id: string; createdAt: string; own: boolean; node: ReactNode };

export type ChatThreadProps = {
  /** Oldest first (as the data hooks return them). */
  messages: readonly ChatMessage[];
  /** The viewer's side: its messages are "own" (right-aligned, with read ticks). */
  viewerSide: SenderType;
  /** Name for the conversation user's messages (admins see the user's name); default "You"/"Customer". */
  userName?: string;
  /** An admin's own messages are labelled "You" rather than with their name. */
  viewerAdminId?: string | null;
  hasOlder?: boolean;
  isLoadingOlder?: boolean;
  onLoadOlder?: () => void;
  isLoading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  onRefreshUrls?: RefreshUrls;
  /** Re-send an optimistic message that failed. */
  onRetrySend?: (message: ChatMessage) => void;
  emptyState?: ReactNode;
  /** Accessible name of the message log. */
  label?: string;
  now?: Date;
  /** Shown among the messages by time (only within the loaded history). */
  interleaved?: readonly InterleavedItem[];
  /** A message or interleaved item id to scroll to and highlight once it is loaded (a search match). */
  focusId?: string | null;
};

/** Closer than this to the bottom counts as "at the bottom" (follows new messages). */
const BOTTOM_SLACK_PX = 80;
/** Closer than this to the top loads older messages. */
const TOP_LOAD_PX = 120;

export function ChatThread({
  messages,
  viewerSide,
  userName,
  viewerAdminId = null,
  hasOlder = false,
  isLoadingOlder = false,
  onLoadOlder,
  isLoading = false,
  error,
  onRetry,
  onRefreshUrls,
  onRetrySend,
  emptyState,
  label = 'Messages',
  now,
  interleaved,
  focusId = null,
}: ChatThreadProps) {
  const scroller = useRef<HTMLElement>(null);
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const previous = useRef<{ first?: Entry; last?: Entry; scrollHeight: number }>({ scrollHeight: 0 });

  const isOwn = useCallback((message: ChatMessage) => message.senderType === viewerSide, [viewerSide]);

  // Messages and interleaved items in time order; items older than the loaded history wait until
  // it is loaded, so they never sit above messages that are not shown yet.
  const entries = useMemo<Entry[]>(() => {
    const fromMessages: Entry[] = messages.map((message) => ({
      kind: 'message',
      key: messageKey(message),
      id: message.id,
      createdAt: message.createdAt,
      own: isOwn(message),
      message,
    }));
    const oldest = messages[0]?.createdAt;
    const extra: Entry[] = (interleaved ?? [])
      .filter((item) => !hasOlder || (oldest !== undefined && item.createdAt >= oldest))
      .map((item) => ({ kind: 'item', key: `item:${item.id}`, ...item }));
    if (extra.length === 0) return fromMessages;
    return [...fromMessages, ...extra].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  }, [messages, interleaved, hasOlder, isOwn]);

  const scrollToBottom = useCallback((smooth = false) => {
    const element = scroller.current;
    if (!element) return;
    if (smooth && typeof element.scrollTo === 'function')
      element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
    else element.scrollTop = element.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
  }, []);

  // Runs after the DOM changed and before paint, so position fixes never flicker.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const before = previous.current;
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (!before.last && last) {
      scrollToBottom();
    } else if (last && before.last && last.key !== before.last.key) {
      const lastBefore = before.last;
      const arrived = entries.filter(
        (entry) => !entry.own && Date.parse(entry.createdAt) > Date.parse(lastBefore.createdAt),
      );
      if (atBottom.current || last.own) scrollToBottom();
      else if (arrived.length > 0) setUnseen((count) => count + arrived.length);
    } else if (first && before.first && first.key !== before.first.key) {
      // Older messages were added above: keep the reader's place.
      element.scrollTop += element.scrollHeight - before.scrollHeight;
    }
    previous.current = { first, last, scrollHeight: element.scrollHeight };
  }, [entries, scrollToBottom]);

  // A search match: once its message or note is in the loaded history, scroll to it (after the
  // first scroll to the bottom) and highlight it for a moment. Older history is not fetched for it.
  const focusedId = useRef<string | null>(null);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: look again whenever the history changes (the match may arrive later)
  useEffect(() => {
    if (!focusId || focusedId.current === focusId || !/^[0-9a-f-]{36}$/i.test(focusId)) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-entry-id="${focusId}"]`);
    if (!element) return;
    focusedId.current = focusId;
    element.scrollIntoView?.({ block: 'center' });
    setHighlighted(focusId);
  }, [focusId, entries]);
  useEffect(() => {
    if (!highlighted) return;
    const timer = setTimeout(() => setHighlighted(null), 3000);
    return () => clearTimeout(timer);
  }, [highlighted]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_SLACK_PX;
    if (atBottom.current && unseen > 0) setUnseen(0);
    previous.current.scrollHeight = element.scrollHeight;
    if (element.scrollTop < TOP_LOAD_PX && hasOlder && !isLoadingOlder) onLoadOlder?.();
  };

  const labelFor = (message: ChatMessage): string => {
    if (message.senderType === 'admin') {
      if (viewerSide === 'admin' && viewerAdminId && message.senderAdminId === viewerAdminId) return 'You';
      return message.senderName ?? 'Support';
    }
    if (viewerSide === 'user') return 'You';
    return userName ?? 'Customer';
  };

  let body: ReactNode;
  if (isLoading) {
    body = (
      <div className="flex h-full items-center justify-center">
        <Spinner label="Loading messages" />
      </div>
    );
  } else if (error && messages.length === 0) {
    body = (
      <div role="alert" className="flex h-full flex-col items-center justify-center gap-3 p-6 text-center text-sm">
        <p className="text-gray-600">{errorMessage(error, 'The messages could not be loaded.')}</p>
        {onRetry && (
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        )}
      </div>
    );
  } else if (entries.length === 0) {
    body = (
      <div className="flex h-full items-center justify-center p-6 text-center text-sm text-gray-500">
        {emptyState ?? <p>No messages yet. Say hello!</p>}
      </div>
    );
  }

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <section
        ref={scroller}
        onScroll={onScroll}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        aria-label={`${label}, scrollable`}
        data-testid="chat-scroller"
        className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-3 py-2 [overflow-anchor:none] sm:px-5"
      >
        {body ?? (
          <>
            {hasOlder && (
              <div className="flex justify-center py-2">
                {isLoadingOlder ? (
                  <Spinner label="Loading older messages" />
                ) : (
                  <Button variant="ghost" onClick={() => onLoadOlder?.()}>
                    Load older messages
                  </Button>
                )}
              </div>
            )}
            <div
              role="log"
              aria-label={label}
              aria-live="polite"
              aria-relevant="additions"
              className="flex flex-col gap-3"
            >
              {entries.map((entry, index) => {
                const previousEntry = entries[index - 1];
                const newDay = !previousEntry || !isSameDay(previousEntry.createdAt, entry.createdAt);
                return (
                  <Fragment key={entry.key}>
                    {newDay && <DaySeparator date={entry.createdAt} now={now} />}
                    <div
                      data-entry-id={entry.id}
                      data-highlighted={highlighted === entry.id ? 'true' : undefined}
                      className={
                        highlighted === entry.id
                          ? 'rounded-2xl ring-2 ring-yellow-300 ring-offset-4 ring-offset-gray-50 transition-shadow'
                          : undefined
                      }
                    >
                      {entry.kind === 'message' ? (
                        <MessageBubble
                          message={entry.message}
                          isOwn={entry.own}
                          senderLabel={labelFor(entry.message)}
                          onRefreshUrls={onRefreshUrls}
                          onRetry={onRetrySend}
                        />
                      ) : (
                        entry.node
                      )}
                    </div>
                  </Fragment>
                );
              })}
            </div>
          </>
        )}
      </section>
      {unseen > 0 && (
        <button
          type="button"
          onClick={() => scrollToBottom(true)}
          className="absolute bottom-3 left-1/2 inline-flex min-h-11 -translate-x-1/2 items-center gap-2 rounded-full bg-brand-600 px-4 text-sm font-medium text-white shadow-lg hover:bg-brand-700"
        >
          <ArrowDownIcon className="h-4 w-4" />
          {unseen === 1 ? 'New message' : `${unseen} new messages`}
        </button>
      )}
    </div>
  );
}

/** Stable across the optimistic copy and the stored one, so the bubble is not re-mounted. */
function messageKey(message: ChatMessage): string {
  return message.clientMessageId ? `${message.senderType}:${message.clientMessageId}` : message.id;
}
