// The inbox's priority filter and sort order (the status filter sits with the other filters).
import { useId } from 'react';
import { ConversationPriority } from '../../../../common/support';
import { PRIORITY_LABELS } from './snooze';

export type InboxSort = 'activity' | 'priority';

export function PriorityFilter({
  value,
  onChange,
  className,
}: {
  value: ConversationPriority | '';
  onChange: (value: ConversationPriority | '') => void;
  className: string;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="sr-only">
        Priority filter
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value as ConversationPriority | '')}
        className={className}
      >
        <option value="">Any priority</option>
        {[...ConversationPriority.options].reverse().map((priority) => (
          <option key={priority} value={priority}>
            {PRIORITY_LABELS[priority]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function SortSelect({
  value,
  onChange,
  className,
  searching = false,
}: {
  value: InboxSort;
  onChange: (value: InboxSort) => void;
  className: string;
  /** A text search is active: the default order is then the best match (see replit.md, "Inbox search"). */
  searching?: boolean;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="sr-only">
        Sort order
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value as InboxSort)}
        className={className}
      >
        <option value="activity">{searching ? 'Best match' : 'Newest activity'}</option>
        <option value="priority">Priority, then oldest</option>
      </select>
    </div>
  );
}
