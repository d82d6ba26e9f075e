// "Assign to…": hands the conversation to a colleague. Someone away, offline or at capacity needs
// a second yes ("assign anyway?"): the server refuses with AGENT_UNAVAILABLE / AGENT_AT_CAPACITY
// until the request says force.
import { useId } from 'react';
import { isApiError } from '../../api/api-error';
import { useAssignConversation } from '../../chat/hooks';
import { useTeam } from './team';

export function AssignToSelect({ conversationId, assigneeId }: { conversationId: string; assigneeId: string | null }) {
  const id = useId();
  const team = useTeam();
  const assign = useAssignConversation(conversationId);
  const others = (team.data?.agents ?? []).filter((agent) => agent.adminId !== assigneeId);
  if (others.length === 0) return null;

  const assignTo = async (adminId: string) => {
    try {
      await assign.mutateAsync({ adminId });
    } catch (error) {
      if (isApiError(error, 'AGENT_UNAVAILABLE') || isApiError(error, 'AGENT_AT_CAPACITY')) {
        if (window.confirm(error.message)) assign.mutate({ adminId, force: true });
      }
    }
  };

  return (
    <>
      <label htmlFor={id} className="sr-only">
        Assign to
      </label>
      <select
        id={id}
        value=""
        disabled={assign.isPending}
        onChange={(event) => event.target.value && void assignTo(event.target.value)}
        className="min-h-11 rounded-lg border border-gray-300 bg-white px-2 text-sm text-gray-800 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
      >
        <option value="">Assign to…</option>
        {others.map((agent) => (
          <option key={agent.adminId} value={agent.adminId}>
            {agent.displayName} · {agent.status} · {agent.open}/{agent.capacity}
          </option>
        ))}
      </select>
    </>
  );
}
