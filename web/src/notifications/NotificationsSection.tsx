// "Notifications" in the user's chat: e-mail on or off, and push on this device ("Notify me of
// replies"). The server sends only when a reply stays unread and the app is closed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { NotificationPreferencesView, PushSubscriptionRequest } from '../../../common/notifications';
import { errorMessage, isApiError } from '../api/api-error';
import { Button } from '../ui/Button';
import { notificationKeys, notificationsApi } from './api';
import { currentSubscription, PushSetupError, pushSupported, subscribeThisDevice } from './push';

export function NotificationsSection() {
  const queryClient = useQueryClient();
  const preferences = useQuery({ queryKey: notificationKeys.preferences, queryFn: notificationsApi.preferences });
  const device = useQuery({
    queryKey: ['notifications', 'device'],
    queryFn: currentSubscription,
    enabled: pushSupported(),
  });
  const [problem, setProblem] = useState<string | null>(null);
  const emailId = useId();
  const saved = (view: NotificationPreferencesView) => {
    queryClient.setQueryData(notificationKeys.preferences, view);
    void queryClient.invalidateQueries({ queryKey: ['notifications', 'device'] });
    setProblem(null);
  };
  const onError = (error: unknown) => setProblem(error instanceof PushSetupError ? error.message : errorMessage(error));
  const email = useMutation({
    mutationFn: (on: boolean) => notificationsApi.updatePreferences({ email: on }),
    onSuccess: saved,
    onError,
  });
  const enablePush = useMutation({
    mutationFn: async () => {
      const { publicKey } = await notificationsApi.pushPublicKey();
      const subscription = await subscribeThisDevice(publicKey);
      try {
        return await notificationsApi.subscribePush(subscription as PushSubscriptionRequest);
      } catch (error) {
        // The server will not send to this browser's push service: leave the browser unsubscribed
        // too, so this device does not look subscribed.
        if (isApiError(error, 'PUSH_ENDPOINT_NOT_ALLOWED')) await (await currentSubscription())?.unsubscribe();
        throw error;
      }
    },
    onSuccess: saved,
    onError,
  });
  const disablePush = useMutation({
    mutationFn: async () => {
      const subscription = await currentSubscription();
      const endpoint = subscription?.endpoint;
      await subscription?.unsubscribe();
      return endpoint
        ? notificationsApi.unsubscribePush(endpoint)
        : notificationsApi.updatePreferences({ push: false });
    },
    onSuccess: saved,
    onError,
  });

  if (!preferences.data) return null;
  const view = preferences.data;
  const pushOnHere = Boolean(device.data) && view.push;
  return (
    <section aria-label="Notifications" className="border-t border-gray-200 px-3 py-3 text-sm">
      <h2 className="text-xs font-semibold tracking-wide text-gray-500 uppercase">Notifications</h2>
      <p className="mt-1 text-xs text-gray-500">When a reply stays unread for a while and the app is closed.</p>
      {view.emailAvailable && (
        <label htmlFor={emailId} className="mt-2 flex min-h-11 items-center gap-2 text-gray-800">
          <input
            id={emailId}
            type="checkbox"
            checked={view.email}
            disabled={email.isPending}
            onChange={(event) => email.mutate(event.target.checked)}
            className="h-4 w-4"
          />
          E-mail me about replies
        </label>
      )}
      {view.pushAvailable && pushSupported() && (
        <div className="mt-1">
          {pushOnHere ? (
            <div className="flex items-center justify-between gap-2">
              <span className="text-gray-800">Push notifications are on for this device.</span>
              <Button variant="secondary" disabled={disablePush.isPending} onClick={() => disablePush.mutate()}>
                Turn off
              </Button>
            </div>
          ) : (
            <Button variant="secondary" disabled={enablePush.isPending} onClick={() => enablePush.mutate()}>
              Notify me of replies
            </Button>
          )}
        </div>
      )}
      {problem && (
        <p role="alert" className="mt-2 text-xs text-red-700">
          {problem}
        </p>
      )}
    </section>
  );
}
