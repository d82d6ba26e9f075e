// Status and priority badges for inbox rows and the conversation header (colour plus words, so
// the meaning never rests on colour alone).
import type { ConversationDto, ConversationPriority } from '../../../../common/support';
import { formatSnoozeTime, PRIORITY_LABELS, STATUS_LABELS } from './snooze';

const STATUS_CLASSES: Record<ConversationDto['status'], string> = {
  open: 'bg-blue-50 text-blue-700',
  pending: 'bg-amber-50 text-amber-800',
  snoozed: 'bg-violet-50 text-violet-700',
  resolved: 'bg-green-50 text-green-700',
};

const PRIORITY_CLASSES: Record<ConversationPriority, string> = {
  none: '',
  low: 'bg-gray-100 text-gray-700',
  medium: 'bg-yellow-50 text-yellow-800',
  high: 'bg-orange-50 text-orange-800',
  urgent: 'bg-red-600 text-white',
};

export function StatusBadge({
  conversation,
  now,
}: {
  conversation: Pick<ConversationDto, 'status' | 'snoozedUntil'>;
  now?: Date;
}) {
  const { status, snoozedUntil } = conversation;
  return (
    <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_CLASSES[status]}`}>
      {STATUS_LABELS[status]}
      {status === 'snoozed' && snoozedUntil ? ` until ${formatSnoozeTime(snoozedUntil, now)}` : ''}
    </span>
  );
}

/** Nothing for "none". */
export function PriorityBadge({ priority }: { priority: ConversationPriority }) {
  if (priority === 'none') return null;
  return (
    <span className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-semibold ${PRIORITY_CLASSES[priority]}`}>
      {PRIORITY_LABELS[priority]}
    </span>
  );
}
