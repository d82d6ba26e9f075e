// The team at a glance, above the inbox: each agent's status and load ("Sofia · online · 3/5")
// and the routing queue with its oldest waiting time. Live through `team:updated`.
import { STATUS_DOT } from './AvailabilityControl';
import { formatWaiting, useNow, useTeam } from './team';

export function TeamStrip() {
  const team = useTeam();
  const now = useNow();
  if (!team.data) return null;
  const { agents, queue } = team.data;
  return (
    <section aria-label="Team" className="space-y-1.5">
      <p className="text-xs font-medium text-gray-700" aria-live="polite">
        {queue.length === 0
          ? 'Nobody waiting'
          : `${queue.length} waiting${queue.oldestQueuedAt ? ` · oldest ${formatWaiting(queue.oldestQueuedAt, now)}` : ''}`}
      </p>
      <ul className="flex flex-wrap gap-1.5">
        {agents.map((agent) => (
          <li
            key={agent.adminId}
            data-testid="team-agent"
            className="flex items-center gap-1.5 rounded-full bg-gray-100 px-2 py-0.5 text-xs text-gray-700"
          >
            <span aria-hidden="true" className={`h-2 w-2 rounded-full ${STATUS_DOT[agent.status]}`} />
            <span>
              {agent.displayName} · {agent.status} · {agent.open}/{agent.capacity}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
