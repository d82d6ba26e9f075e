// Right panel of the dashboard: who the user is (from the profile of their user type) and their
// other conversations.
import type { UserDetails } from '../../../../common/support';
import { Avatar } from '../../chat/Avatar';
import { formatDateTime, formatRelativeTime } from '../../chat/format';
import { useConversationUser } from '../../chat/hooks';
import { USER_TYPE_LABELS } from '../../chat/labels';
import { ConversationNotificationFacts } from '../../notifications/ConversationNotificationFacts';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';
import { STATUS_LABELS } from '../workflow/snooze';

function accountAge(createdAt: string, now = new Date()): string {
  const days = Math.floor((now.getTime() - new Date(createdAt).getTime()) / 86_400_000);
  if (days < 1) return 'joined today';
  if (days < 60) return `member for ${days} day${days === 1 ? '' : 's'}`;
  const months = Math.floor(days / 30.44);
  if (months < 24) return `member for ${months} months`;
  return `member for ${Math.floor(months / 12)} years`;
}

export function Facts({ user }: { user: UserDetails }) {
  const facts = [
    { label: 'E-mail', value: user.email, href: `mailto:${user.email}` },
    { label: 'Phone', value: user.phone, href: `tel:${user.phone.replace(/\s/g, '')}` },
    { label: 'City', value: user.city },
    ...user.fields,
    {
      label: 'Account',
      value: `Since ${formatDateTime(user.accountCreatedAt)} (${accountAge(user.accountCreatedAt)})`,
    },
  ];
  return (
    <dl className="space-y-3 text-sm">
      {facts.map((fact) => (
        <div key={fact.label}>
          <dt className="text-xs font-medium text-gray-500">{fact.label}</dt>
          <dd className="break-words text-gray-900">
            {'href' in fact && fact.href ? (
              <a href={fact.href} className="text-brand-700 hover:underline">
                {fact.value}
              </a>
            ) : (
              fact.value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function UserPanel({ conversationId, onOpen }: { conversationId: string; onOpen: (id: string) => void }) {
  const details = useConversationUser(conversationId);
  if (details.isPending) {
    return (
      <div className="flex justify-center p-6">
        <Spinner label="Loading the user's details" />
      </div>
    );
  }
  if (details.error || !details.data) {
    return (
      <div role="alert" className="flex flex-col items-center gap-3 p-6 text-center text-sm text-gray-600">
        <p>The user's details could not be loaded.</p>
        <Button variant="secondary" onClick={() => details.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  const { user, otherConversations } = details.data;
  return (
    <div className="space-y-6 p-4">
      <div className="flex items-center gap-3">
        <Avatar name={user.displayName} size="lg" />
        <div className="min-w-0">
          <p className="truncate font-semibold text-gray-900">{user.displayName}</p>
          <p className="text-xs text-gray-500">
            {USER_TYPE_LABELS[user.userType]}
            {user.isActive ? '' : ' · account disabled'}
          </p>
        </div>
      </div>
      <Facts user={user} />
      <ConversationNotificationFacts conversationId={conversationId} />
      <div>
        <h3 className="text-xs font-semibold tracking-wide text-gray-500 uppercase">Other conversations</h3>
        {otherConversations.length === 0 ? (
          <p className="mt-2 text-sm text-gray-500">None.</p>
        ) : (
          <ul className="mt-2 space-y-1">
            {otherConversations.map((other) => (
              <li key={other.id}>
                <button
                  type="button"
                  onClick={() => onOpen(other.id)}
                  className="flex min-h-11 w-full flex-col items-start rounded-lg px-2 py-1.5 text-left text-sm hover:bg-gray-100"
                >
                  <span className="w-full truncate font-medium text-gray-800">{other.subject ?? 'No topic'}</span>
                  <span className="text-xs text-gray-500">
                    {STATUS_LABELS[other.status]} · {formatRelativeTime(other.lastMessageAt)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
