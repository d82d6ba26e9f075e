// The signed-in agent's own availability, in the dashboard header: online (takes new chats),
// away (working, no new chats) or offline. The dot shows the effective status: offline while this
// agent has no dashboard open, whatever was chosen.
import { useId } from 'react';
import type { AgentAvailability } from '../../../../common/routing';
import { useViewer } from '../../chat/hooks';
import { AVAILABILITY_LABELS, useSetAvailability, useTeam } from './team';

export const STATUS_DOT: Record<AgentAvailability, string> = {
  online: 'bg-green-500',
  away: 'bg-amber-400',
  offline: 'bg-gray-400',
};

export function AvailabilityControl() {
  const id = useId();
  const { adminId } = useViewer();
  const team = useTeam();
  const setAvailability = useSetAvailability();
  const me = team.data?.agents.find((agent) => agent.adminId === adminId);
  if (!me) return null;
  return (
    <span className="flex items-center gap-1.5">
      <span aria-hidden="true" className={`h-2.5 w-2.5 shrink-0 rounded-full ${STATUS_DOT[me.status]}`} />
      <label htmlFor={id} className="sr-only">
        Your status
      </label>
      <select
        id={id}
        value={me.chosen}
        disabled={setAvailability.isPending}
        onChange={(event) => setAvailability.mutate(event.target.value as AgentAvailability)}
        className="min-h-9 rounded-lg border border-gray-300 bg-white px-2 text-sm text-gray-800 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
      >
        {(Object.keys(AVAILABILITY_LABELS) as AgentAvailability[]).map((value) => (
          <option key={value} value={value}>
            {AVAILABILITY_LABELS[value]}
          </option>
        ))}
      </select>
    </span>
  );
}
