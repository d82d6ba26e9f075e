// The list of conversations (admin inbox or a user's own): name or subject, last message, time,
// unread count, status and assignee, and in inbox search results the matching message or note. Rows are buttons; arrow keys move between them. Scrolling to
// the end calls onLoadMore (an IntersectionObserver sentinel; a button does the same by keyboard).

import { type KeyboardEvent, type ReactNode, useRef } from 'react';
import type { ConversationDto, SenderType } from '../../../common/support';
import { formatWaiting, useNow } from '../admin/routing/team';
import { PriorityBadge, StatusBadge } from '../admin/workflow/WorkflowBadges';
import { errorMessage } from '../api/api-error';
import { Button } from '../ui/Button';
import { Spinner } from '../ui/Spinner';
import { Avatar } from './Avatar';
import { formatDateTime, formatRelativeTime } from './format';
import { conversationTitle, previewText, USER_TYPE_LABELS } from './labels';
import { SearchSnippet } from './SearchSnippet';
import { UnreadBadge } from './UnreadBadge';
import { useWhenVisible } from './use-visible';

export type ConversationListProps = {
  conversations: readonly ConversationDto[];
  /** Whose list it is: admins see the user's name, type and assignee; users see subjects. */
  viewer: SenderType;
  selectedId?: string | null;
  onSelect: (conversationId: string) => void;
  isLoading?: boolean;
  /** A failed first load (shown instead of the list) with a retry button. */
  error?: unknown;
  onRetry?: () => void;
  hasMore?: boolean;
  isLoadingMore?: boolean;
  onLoadMore?: () => void;
  /** Shown when there are no conversations (e.g. "No conversations match these filters"). */
  emptyState?: ReactNode;
  /** Accessible name of the list. */
  label?: string;
  /** Fixed "now" for relative times (tests). */
  now?: Date;
};

export function ConversationList({
  conversations,
  viewer,
  selectedId = null,
  onSelect,
  isLoading = false,
  error,
  onRetry,
  hasMore = false,
  isLoadingMore = false,
  onLoadMore,
  emptyState,
  label = 'Conversations',
  now,
}: ConversationListProps) {
  const sentinel = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  useWhenVisible(sentinel, () => onLoadMore?.(), { enabled: hasMore && !isLoadingMore && Boolean(onLoadMore) });

  if (isLoading) {
    return (
      <div className="flex justify-center p-6">
        <Spinner label="Loading conversations" />
      </div>
    );
  }
  if (error && conversations.length === 0) {
    return (
      <div role="alert" className="flex flex-col items-center gap-3 p-6 text-center text-sm text-gray-600">
        <p>{errorMessage(error, 'The conversations could not be loaded.')}</p>
        {onRetry && (
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        )}
      </div>
    );
  }
  if (conversations.length === 0) {
    return <div className="p-6 text-center text-sm text-gray-600">{emptyState ?? <p>No conversations yet.</p>}</div>;
  }

  // Up/Down/Home/End move focus between rows, as in a mail inbox.
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const buttons = Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('button[data-row]') ?? []);
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index === -1) return;
    const next =
      event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? buttons.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, next))]?.focus();
  };

  return (
    <div>
      <ul ref={listRef} aria-label={label} className="divide-y divide-gray-100" onKeyDown={onKeyDown}>
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <ConversationRow
              conversation={conversation}
              viewer={viewer}
              selected={conversation.id === selectedId}
              onSelect={onSelect}
              now={now}
            />
          </li>
        ))}
      </ul>
      {hasMore && (
        <div ref={sentinel} data-testid="load-more-sentinel" className="flex justify-center p-3">
          {isLoadingMore ? (
            <Spinner label="Loading more conversations" />
          ) : (
            <Button variant="ghost" onClick={() => onLoadMore?.()}>
              Load more
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

function ConversationRow({
  conversation,
  viewer,
  selected,
  onSelect,
  now,
}: {
  conversation: ConversationDto;
  viewer: SenderType;
  selected: boolean;
  onSelect: (id: string) => void;
  now?: Date;
}) {
  const title = conversationTitle(conversation, viewer);
  const unread = conversation.unreadCount > 0;
  const resolved = conversation.status === 'resolved';
  // A search result's matching message or note; the last message's own line shows it when it is that one.
  const match = viewer === 'admin' ? conversation.match : undefined;
  const matchIsLast = match?.kind === 'message' && match.id === conversation.lastMessage?.id;
  return (
    <button
      type="button"
      data-row
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(conversation.id)}
      className={`flex w-full min-w-0 items-start gap-3 px-4 py-3 text-left transition-colors focus-visible:-outline-offset-2 ${
        selected ? 'bg-brand-50' : 'hover:bg-gray-50'
      }`}
    >
      <Avatar name={viewer === 'admin' ? title : 'Support'} />
      <span className="min-w-0 flex-1">
        <span className="flex items-baseline gap-2">
          <span className={`min-w-0 flex-1 truncate text-sm ${unread ? 'font-semibold' : 'font-medium'} text-gray-900`}>
            {title}
          </span>
          <time
            dateTime={conversation.lastMessageAt}
            title={formatDateTime(conversation.lastMessageAt)}
            className={`shrink-0 text-xs ${unread ? 'font-medium text-brand-700' : 'text-gray-600'}`}
          >
            {formatRelativeTime(conversation.lastMessageAt, now)}
          </time>
        </span>
        {viewer === 'admin' && (
          <span className="mt-0.5 flex min-w-0 items-center gap-1.5 text-xs text-gray-600">
            <span className="shrink-0 rounded bg-gray-100 px-1.5 py-0.5 font-medium text-gray-700">
              {USER_TYPE_LABELS[conversation.userType]}
            </span>
            {conversation.order && (
              <span className="shrink-0 rounded bg-amber-50 px-1.5 py-0.5 font-medium text-amber-800">
                #{conversation.order.number}
              </span>
            )}
            {conversation.subject && <span className="truncate">{conversation.subject}</span>}
          </span>
        )}
        <span className="mt-1 flex items-center gap-2">
          {matchIsLast && match ? (
            <SearchSnippet match={match} className="flex-1" />
          ) : (
            <span className={`min-w-0 flex-1 truncate text-sm ${unread ? 'text-gray-900' : 'text-gray-600'}`}>
              {previewText(conversation, viewer)}
            </span>
          )}
          <UnreadBadge count={conversation.unreadCount} />
        </span>
        {match && !matchIsLast && <SearchSnippet match={match} className="mt-1" />}
        {(resolved || viewer === 'admin') && (
          <span className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-gray-600">
            {viewer === 'admin' ? (
              <>
                <StatusBadge conversation={conversation} now={now} />
                <PriorityBadge priority={conversation.priority} />
              </>
            ) : (
              <span className="rounded-full bg-green-50 px-2 py-0.5 font-medium text-green-700">Resolved</span>
            )}
            {viewer === 'admin' && (
              <span className="truncate">
                {conversation.assignee ? (
                  `Assigned to ${conversation.assignee.displayName}`
                ) : conversation.status !== 'open' ? (
                  'Unassigned'
                ) : (
                  <WaitingTime since={conversation.queuedAt} now={now} />
                )}
              </span>
            )}
          </span>
        )}
      </span>
    </button>
  );
}

/** "Waiting · 3 min", ticking by itself: nothing else re-renders a row while it waits. */
function WaitingTime({ since, now }: { since: string; now?: Date | undefined }) {
  const ticking = useNow(15_000);
  return <>{`Waiting · ${formatWaiting(since, now?.getTime() ?? ticking)}`}</>;
}
