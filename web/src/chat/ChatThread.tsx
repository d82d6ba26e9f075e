// The message history of one conversation: day separators, own messages on the right, history
// paging at the top (keeping the reader's place), auto-scroll to the newest message unless the
// reader scrolled up, in which case a "New messages" pill appears instead.
import { Fragment, type ReactNode, useCallback, useLayoutEffect, useRef, useState } from 'react';
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
}: ChatThreadProps) {
  const scroller = useRef<HTMLElement>(null);
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const previous = useRef<{ first?: ChatMessage; last?: ChatMessage; scrollHeight: number }>({ scrollHeight: 0 });

  const isOwn = useCallback((message: ChatMessage) => message.senderType === viewerSide, [viewerSide]);

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
    const first = messages[0];
    const last = messages[messages.length - 1];
    if (!before.last && last) {
      scrollToBottom();
    } else if (last && before.last && last.id !== before.last.id) {
      const lastBefore = before.last;
      const arrived = messages.filter(
        (message) => !isOwn(message) && Date.parse(message.createdAt) > Date.parse(lastBefore.createdAt),
      );
      if (atBottom.current || isOwn(last)) scrollToBottom();
      else if (arrived.length > 0) setUnseen((count) => count + arrived.length);
    } else if (first && before.first && first.id !== before.first.id) {
      // Older messages were added above: keep the reader's place.
      element.scrollTop += element.scrollHeight - before.scrollHeight;
    }
    previous.current = { first, last, scrollHeight: element.scrollHeight };
  }, [messages, isOwn, scrollToBottom]);

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
  } else if (messages.length === 0) {
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
              {messages.map((message, index) => {
                const previousMessage = messages[index - 1];
                const newDay = !previousMessage || !isSameDay(previousMessage.createdAt, message.createdAt);
                return (
                  <Fragment key={messageKey(message)}>
                    {newDay && <DaySeparator date={message.createdAt} now={now} />}
                    <MessageBubble
                      message={message}
                      isOwn={isOwn(message)}
                      senderLabel={labelFor(message)}
                      onRefreshUrls={onRefreshUrls}
                      onRetry={onRetrySend}
                    />
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
