// The inbox's "Mentions" view: conversations where a colleague @mentioned me in a note, unread
// mentions first, then the newest. Opening one reads its mentions (ConversationPanel). Also the
// Inbox / Mentions switch with the unread badge.
import { errorMessage } from '../../api/api-error';
import { Avatar } from '../../chat/Avatar';
import { formatDateTime, formatRelativeTime } from '../../chat/format';
import { USER_TYPE_LABELS } from '../../chat/labels';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';
import { useMentions } from './notes';

export type InboxView = 'inbox' | 'mentions';

function MentionBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-amber-500 px-1.5 text-xs font-semibold text-amber-950">
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="sr-only">{`${count} unread ${count === 1 ? 'mention' : 'mentions'}`}</span>
    </span>
  );
}

export function InboxViewTabs({ view, onChange }: { view: InboxView; onChange: (view: InboxView) => void }) {
  const mentions = useMentions();
  const tab = (value: InboxView, label: string, badge?: number) => (
    <button
      type="button"
      role="tab"
      aria-selected={view === value}
      onClick={() => onChange(value)}
      className={`inline-flex min-h-11 flex-1 items-center justify-center gap-2 border-b-2 text-sm font-medium ${
        view === value ? 'border-brand-600 text-brand-700' : 'border-transparent text-gray-600 hover:text-gray-900'
      }`}
    >
      {label}
      {badge !== undefined && <MentionBadge count={badge} />}
    </button>
  );
  return (
    <div role="tablist" aria-label="Inbox views" className="flex border-b border-gray-200 px-3">
      {tab('inbox', 'Inbox')}
      {tab('mentions', 'Mentions', mentions.data?.unreadMentions ?? 0)}
    </div>
  );
}

export function MentionsView({ selectedId, onSelect }: { selectedId: string | null; onSelect: (id: string) => void }) {
  const mentions = useMentions();
  if (mentions.isPending) {
    return (
      <div className="flex justify-center p-6">
        <Spinner label="Loading mentions" />
      </div>
    );
  }
  if (mentions.error) {
    return (
      <div role="alert" className="flex flex-col items-center gap-3 p-6 text-center text-sm text-gray-600">
        <p>{errorMessage(mentions.error, 'The mentions could not be loaded.')}</p>
        <Button variant="secondary" onClick={() => mentions.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  const items = mentions.data.items;
  if (items.length === 0) {
    return (
      <p className="p-6 text-center text-sm text-gray-500">
        No mentions yet. When a colleague writes @ and your name in a note, the conversation shows here.
      </p>
    );
  }
  return (
    <ul aria-label="Conversations that mention you" className="divide-y divide-gray-100">
      {items.map(({ conversation, unreadMentions, lastMentionAt, lastNote }) => {
        const name = conversation.user?.displayName ?? 'User';
        const selected = conversation.id === selectedId;
        return (
          <li key={conversation.id}>
            <button
              type="button"
              data-row
              onClick={() => onSelect(conversation.id)}
              aria-current={selected ? 'true' : undefined}
              className={`flex w-full gap-3 px-3 py-3 text-left hover:bg-gray-50 ${selected ? 'bg-brand-50' : ''} ${
                unreadMentions > 0 ? 'border-l-4 border-amber-400' : 'border-l-4 border-transparent'
              }`}
            >
              <Avatar name={name} />
              <span className="min-w-0 flex-1">
                <span className="flex items-baseline gap-2">
                  <span
                    className={`truncate text-sm ${unreadMentions > 0 ? 'font-semibold' : 'font-medium'} text-gray-900`}
                  >
                    {name}
                  </span>
                  <span className="shrink-0 text-xs text-gray-500">{USER_TYPE_LABELS[conversation.userType]}</span>
                  <time
                    dateTime={lastMentionAt}
                    title={formatDateTime(lastMentionAt)}
                    className="ml-auto shrink-0 text-xs text-gray-500"
                  >
                    {formatRelativeTime(lastMentionAt)}
                  </time>
                </span>
                <span className="mt-0.5 flex items-center gap-2">
                  <span className="min-w-0 flex-1 truncate text-sm text-gray-600">
                    <span className="font-medium text-amber-800">{lastNote.authorName ?? 'An agent'}:</span>{' '}
                    {lastNote.body}
                  </span>
                  <MentionBadge count={unreadMentions} />
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
