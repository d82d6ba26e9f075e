// The team at a glance (routing): every agent's status and load and the queue, kept live by the
// `team:updated` socket event; and the signed-in agent's own availability.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ServerEvent } from '../../../../common/realtime';
import type { AgentAvailability, TeamAgent, TeamSnapshot } from '../../../../common/routing';
import { apiFetch } from '../../api/api-fetch';
import { useSupportEvent } from '../../chat/socket';

const teamKey = ['support', 'team'] as const;

export const AVAILABILITY_LABELS: Record<AgentAvailability, string> = {
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
};

export function useTeam(options: { enabled?: boolean } = {}) {
  const queryClient = useQueryClient();
  useSupportEvent(ServerEvent.TEAM_UPDATED, (team) => queryClient.setQueryData(teamKey, team));
  return useQuery({
    queryKey: teamKey,
    queryFn: ({ signal }) => apiFetch<TeamSnapshot>('/api/admin/support/team', { signal }),
    enabled: options.enabled ?? true,
  });
}

export function useSetAvailability() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (availability: AgentAvailability) =>
      apiFetch<TeamAgent>('/api/admin/support/me/availability', { method: 'PUT', body: { availability } }),
    onSuccess: (me) =>
      queryClient.setQueryData<TeamSnapshot>(teamKey, (team) =>
        team ? { ...team, agents: team.agents.map((a) => (a.adminId === me.adminId ? me : a)) } : team,
      ),
  });
}

/** "45 s", "3 min", "2 h": how long something has waited. */
export function formatWaiting(sinceIso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - new Date(sinceIso).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h`;
}

/** The current time, re-rendering every `everyMs` (waiting times tick). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
