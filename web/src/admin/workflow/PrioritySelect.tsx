// The conversation's priority, set by any support agent; users never see it.
import { useId } from 'react';
import { ConversationPriority } from '../../../../common/support';
import { useSetPriority } from './api';
import { PRIORITY_LABELS } from './snooze';

export function PrioritySelect({
  conversationId,
  priority,
}: {
  conversationId: string;
  priority: ConversationPriority;
}) {
  const id = useId();
  const setPriority = useSetPriority(conversationId);
  return (
    <>
      <label htmlFor={id} className="sr-only">
        Priority
      </label>
      <select
        id={id}
        value={priority}
        disabled={setPriority.isPending}
        onChange={(event) => setPriority.mutate(event.target.value as ConversationPriority)}
        className="min-h-11 rounded-lg border border-gray-300 bg-white px-2 text-sm text-gray-800 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
      >
        {ConversationPriority.options.map((value) => (
          <option key={value} value={value}>
            {value === 'none' ? 'Priority: none' : `Priority: ${PRIORITY_LABELS[value].toLowerCase()}`}
          </option>
        ))}
      </select>
      {setPriority.isError && (
        <span role="alert" className="text-xs text-red-700">
          The priority was not saved. Try again.
        </span>
      )}
    </>
  );
}
