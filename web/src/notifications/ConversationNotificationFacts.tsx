// For agents, in the user panel: which notification channels the user has on, and the rating of
// the conversation's latest resolution.
import { useQuery } from '@tanstack/react-query';
import { notificationKeys, notificationsApi } from './api';

const useConversationInfo = (conversationId: string) =>
  useQuery({
    queryKey: notificationKeys.conversationInfo(conversationId),
    queryFn: () => notificationsApi.conversationInfo(conversationId),
  });

/** In the conversation's header: the latest resolution's score, once the user rated it. */
export function RatingBadge({ conversationId }: { conversationId: string }) {
  const rating = useConversationInfo(conversationId).data?.rating;
  if (!rating) return null;
  return <span className="ml-1 text-amber-700">· Rated {rating.rating}/5</span>;
}

export function ConversationNotificationFacts({ conversationId }: { conversationId: string }) {
  const info = useConversationInfo(conversationId);
  if (!info.data) return null;
  const { channels, rating } = info.data;
  const on = [channels.email && 'e-mail', channels.push && 'push'].filter(Boolean).join(', ');
  return (
    <dl className="space-y-3 text-sm">
      <div>
        <dt className="text-xs font-medium text-gray-500">Notifications</dt>
        <dd className="text-gray-900">{on ? `On: ${on}` : 'Off'}</dd>
      </div>
      <div>
        <dt className="text-xs font-medium text-gray-500">Rating</dt>
        <dd className="break-words text-gray-900">
          {rating ? `${rating.rating} of 5${rating.comment ? ` — “${rating.comment}”` : ''}` : 'Not rated'}
        </dd>
      </div>
    </dl>
  );
}
