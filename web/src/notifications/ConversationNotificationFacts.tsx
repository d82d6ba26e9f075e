// For agents, in the user panel: which notification channels the user has on, and the rating of
// the conversation's latest resolution.
import { useQuery } from '@tanstack/react-query';
import { notificationKeys, notificationsApi } from './api';

export function ConversationNotificationFacts({ conversationId }: { conversationId: string }) {
  const info = useQuery({
    queryKey: notificationKeys.conversationInfo(conversationId),
    queryFn: () => notificationsApi.conversationInfo(conversationId),
  });
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
