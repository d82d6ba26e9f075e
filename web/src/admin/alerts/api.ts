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

/** One switch; shown at once, put back if the server refuses. */
export function useSetAlertSwitch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, channel, on }: { kind: AlertKind; channel: AlertChannel; on: boolean }) =>
      apiFetch<AlertPreferences>(PATH, {
        method: 'PUT',
        body: { [kind]: { [channel]: on } } satisfies UpdateAlertPreferences,
      }),
    onMutate: async ({ kind, channel, on }) => {
      await queryClient.cancelQueries({ queryKey: alertPreferencesKey });
      const previous = queryClient.getQueryData<AlertPreferences>(alertPreferencesKey);
      if (previous) {
        queryClient.setQueryData<AlertPreferences>(alertPreferencesKey, {
          ...previous,
          [kind]: { ...previous[kind], [channel]: on },
        });
      }
      return { previous };
    },
    onError: (_error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(alertPreferencesKey, context.previous);
    },
    onSuccess: (preferences) => queryClient.setQueryData(alertPreferencesKey, preferences),
  });
}
