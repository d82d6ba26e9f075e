// The signed-in agent's alert switches (stored on the server, so they follow the agent to any
// browser): GET/PUT /api/admin/support/alert-preferences. A toggle sends only what changed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertChannel, AlertKind, AlertPreferences, UpdateAlertPreferences } from '../../../../common/alerts';
import { apiFetch } from '../../api/api-fetch';

const PATH = '/api/admin/support/alert-preferences';

/** Under 'support', so a reconnect refetches it with the rest. */
export const alertPreferencesKey = ['support', 'alert-preferences'] as const;

export function useAlertPreferences(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: alertPreferencesKey,
    queryFn: ({ signal }) => apiFetch<AlertPreferences>(PATH, { signal }),
    enabled: options.enabled ?? true,
    staleTime: 60_000,
  });
}

export type AlertSwitchChange = { kind: AlertKind; channel: AlertChannel; on: boolean };

/** One switch; the cache takes the server's answer (the menu shows the change meanwhile). */
export function useSetAlertSwitch(onSettled?: (change: AlertSwitchChange) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, channel, on }: AlertSwitchChange) =>
      apiFetch<AlertPreferences>(PATH, {
        method: 'PUT',
        body: { [kind]: { [channel]: on } } satisfies UpdateAlertPreferences,
      }),
    onSuccess: (preferences) => queryClient.setQueryData(alertPreferencesKey, preferences),
    // For every change, also when several overlap (mutate's own callbacks fire for the last only).
    onSettled: (_data, _error, change) => onSettled?.(change),
  });
}
