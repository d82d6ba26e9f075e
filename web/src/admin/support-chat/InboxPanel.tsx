// Left panel of the dashboard: every conversation, newest activity first or by priority, with
// search (name, e-mail, phone, conversation id, the words of messages and notes, or "#4821" for an
// order's conversations) and filters
// (user type, status, assignee, priority, unread only). The default view is the open conversations.
import { useId, useState } from 'react';
import type { UserType } from '../../../../common/enums';
import type { ConversationPriority, ConversationStatus } from '../../../../common/support';
import type { AdminConversationFilters } from '../../chat/api';
import { ConversationList } from '../../chat/ConversationList';
import { useAdminConversations, useUnreadTotals } from '../../chat/hooks';
import { USER_TYPE_LABELS } from '../../chat/labels';
import { useDebouncedValue } from '../../chat/use-debounced-value';
import { type InboxView, InboxViewTabs, MentionsView } from '../notes/MentionsView';
import { TeamStrip } from '../routing/TeamStrip';
import { type InboxSort, PriorityFilter, SortSelect } from '../workflow/InboxWorkflowFilters';

const SEARCH_DEBOUNCE_MS = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const unreadSummary = (messages: number, conversations: number) =>
  messages === 0 ? 'All read' : `${messages} unread in ${plural(conversations, 'conversation')}`;
const selectClass =
  'min-h-11 w-full rounded-lg border border-gray-300 bg-white px-2 text-sm text-gray-800 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30';

export function InboxPanel({
  selectedId,
  onSelect,
  onShowShortcuts,
}: {
  selectedId: string | null;
  /** `matchId`: the message or note a search result was found by. */
  onSelect: (id: string, matchId?: string) => void;
  /** The "?" help dialog. */
  onShowShortcuts?: () => void;
}) {
  const [view, setView] = useState<InboxView>('inbox');
  const [search, setSearch] = useState('');
  const [userType, setUserType] = useState<UserType | ''>('');
  const [status, setStatus] = useState<ConversationStatus | ''>('open');
  const [assigned, setAssigned] = useState<'me' | 'unassigned' | ''>('');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [priority, setPriority] = useState<ConversationPriority | ''>('');
  const [sort, setSort] = useState<InboxSort>('activity');
  const debouncedSearch = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const ids = { search: useId(), userType: useId(), status: useId(), assigned: useId() };

  // "#4821" shows that order's conversations, with every party, together.
  const orderNumber = /^#\d{1,9}$/.test(debouncedSearch) ? Number(debouncedSearch.slice(1)) : null;
  const filters: AdminConversationFilters = {
    ...(orderNumber ? { orderNumber } : debouncedSearch ? { search: debouncedSearch } : {}),
    ...(userType ? { userType } : {}),
    ...(status ? { status } : {}),
    ...(assigned ? { assigned } : {}),
    ...(unreadOnly ? { unreadOnly: true } : {}),
    ...(priority ? { priority } : {}),
    ...(sort === 'priority' ? { sort } : {}),
  };
  const inbox = useAdminConversations(filters);
  const unread = useUnreadTotals();
  const filtered = Object.keys(filters).filter((key) => key !== 'sort').length > (status === 'open' ? 1 : 0);

  if (view === 'mentions') {
    return (
      <section aria-label="Mentions" className="flex min-h-0 flex-1 flex-col">
        <InboxViewTabs view={view} onChange={setView} />
        <div className="min-h-0 flex-1 overflow-y-auto">
          <MentionsView selectedId={selectedId} onSelect={onSelect} />
        </div>
      </section>
    );
  }

  return (
    <section aria-label="Conversations" className="flex min-h-0 flex-1 flex-col">
      <InboxViewTabs view={view} onChange={setView} />
      <div className="space-y-2 border-b border-gray-200 p-3">
        <div className="flex items-baseline justify-between">
          <h1 className="text-base font-semibold text-gray-900">Inbox</h1>
          <span className="flex items-center gap-1">
            <span className="text-xs text-gray-600" aria-live="polite">
              {unread.data ? unreadSummary(unread.data.messages, unread.data.conversations) : ''}
            </span>
            {onShowShortcuts && (
              <button
                type="button"
                onClick={onShowShortcuts}
                aria-label="Keyboard shortcuts"
                title="Keyboard shortcuts (?)"
                // Shortcuts are for keyboards: not offered on phone widths.
                className="hidden h-8 w-8 items-center justify-center rounded-md text-sm font-semibold text-gray-600 hover:bg-gray-100 md:inline-flex"
              >
                ?
              </button>
            )}
          </span>
        </div>
        <TeamStrip />
        <label htmlFor={ids.search} className="sr-only">
          Search by name, e-mail, phone, message text, conversation id or #order number
        </label>
        <input
          id={ids.search}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder="Search names, messages, notes, #order"
          className="min-h-11 w-full rounded-lg border border-gray-300 px-3 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
        />
        <div className="grid grid-cols-3 gap-2">
          <div>
            <label htmlFor={ids.userType} className="sr-only">
              User type
            </label>
            <select
              id={ids.userType}
              value={userType}
              onChange={(event) => setUserType(event.target.value as UserType | '')}
              className={selectClass}
            >
              <option value="">All users</option>
              {(Object.keys(USER_TYPE_LABELS) as UserType[]).map((type) => (
                <option key={type} value={type}>
                  {USER_TYPE_LABELS[type]}s
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={ids.status} className="sr-only">
              Status
            </label>
            <select
              id={ids.status}
              value={status}
              onChange={(event) => setStatus(event.target.value as ConversationStatus | '')}
              className={selectClass}
            >
              <option value="open">Open</option>
              <option value="pending">Pending</option>
              <option value="snoozed">Snoozed</option>
              <option value="resolved">Resolved</option>
              <option value="">All</option>
            </select>
          </div>
          <div>
            <label htmlFor={ids.assigned} className="sr-only">
              Assignee
            </label>
            <select
              id={ids.assigned}
              value={assigned}
              onChange={(event) => setAssigned(event.target.value as 'me' | 'unassigned' | '')}
              className={selectClass}
            >
              <option value="">Anyone</option>
              <option value="me">Mine</option>
              <option value="unassigned">Unassigned</option>
            </select>
          </div>
        </div>
        <div className="grid grid-cols-2 gap-2">
          <PriorityFilter value={priority} onChange={setPriority} className={selectClass} />
          <SortSelect
            value={sort}
            onChange={setSort}
            className={selectClass}
            searching={Boolean(filters.search) && !UUID.test(debouncedSearch)}
          />
        </div>
        <label className="flex min-h-11 cursor-pointer items-center gap-2 text-sm text-gray-700">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(event) => setUnreadOnly(event.target.checked)}
            className="h-4 w-4 rounded border-gray-300 text-brand-600 focus:ring-brand-500"
          />
          Unread only
        </label>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <ConversationList
          conversations={inbox.conversations}
          viewer="admin"
          selectedId={selectedId}
          onSelect={(id) => onSelect(id, inbox.conversations.find((item) => item.id === id)?.match?.id)}
          isLoading={inbox.isPending}
          error={inbox.error}
          onRetry={() => inbox.refetch()}
          hasMore={inbox.hasNextPage}
          isLoadingMore={inbox.isFetchingNextPage}
          onLoadMore={() => inbox.fetchNextPage()}
          label="Conversations"
          emptyState={
            <p className="p-6 text-center text-sm text-gray-500">
              {filtered ? 'No conversations match these filters.' : 'No open conversations. All caught up!'}
            </p>
          }
        />
      </div>
    </section>
  );
}
