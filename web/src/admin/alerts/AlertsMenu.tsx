// The header's Alerts menu: for each kind of alert, whether it shows a browser notification,
// plays a sound and counts in the tab title (saved to the agent's account at once), and the
// button that asks the browser for notification permission: the only place that asks, on a click.
import { useEffect, useId, useRef, useState } from 'react';
import { ALERT_CHANNELS, ALERT_KINDS, type AlertChannel, type AlertKind } from '../../../../common/alerts';
import { Button } from '../../ui/Button';
import { BellIcon } from '../../ui/icons';
import { useAlertPreferences, useSetAlertSwitch } from './api';
import {
  type NotificationPermissionState,
  notificationPermission,
  requestNotificationPermission,
} from './browser-notifications';
import { playAlertSound, unlockSound } from './sound';

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  queued: 'New in the queue',
  message: 'Message in my conversation',
  mention: 'Mention of me',
};

export const ALERT_CHANNEL_LABELS: Record<AlertChannel, string> = {
  notification: 'Notify',
  sound: 'Sound',
  title: 'Tab title',
};

const PERMISSION_TEXT: Record<NotificationPermissionState, string> = {
  default: 'Browser notifications are not enabled in this browser yet.',
  granted: 'Browser notifications are on in this browser.',
  denied: "Browser notifications are blocked: allow them in the browser's site settings.",
  unsupported: 'This browser cannot show notifications.',
};

export function AlertsMenu() {
  const [open, setOpen] = useState(false);
  const [permission, setPermission] = useState<NotificationPermissionState>(notificationPermission);
  const preferences = useAlertPreferences();
  // A clicked switch shows its new state at once, until the server answers (a refusal puts it back).
  const [saving, setSaving] = useState<Record<string, boolean>>({});
  const setSwitch = useSetAlertSwitch(({ kind, channel }) =>
    setSaving((current) => {
      const { [`${kind}.${channel}`]: _done, ...rest } = current;
      return rest;
    }),
  );
  const toggle = (kind: AlertKind, channel: AlertChannel, on: boolean) => {
    setSaving((current) => ({ ...current, [`${kind}.${channel}`]: on }));
    setSwitch.mutate({ kind, channel, on });
  };
  const root = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const headingId = useId();

  useEffect(() => {
    if (!open) return;
    setPermission(notificationPermission()); // may have changed in the site settings meanwhile
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => {
          unlockSound();
          setOpen(!open);
        }}
        className="inline-flex min-h-11 items-center gap-1.5 rounded-lg px-2.5 text-sm font-medium text-gray-700 hover:bg-gray-100"
      >
        <BellIcon className="h-4.5 w-4.5" />
        <span className="sr-only sm:not-sr-only">Alerts</span>
      </button>
      {open && (
        <section
          id={panelId}
          aria-labelledby={headingId}
          onClickCapture={unlockSound}
          className="fixed inset-x-3 top-14 z-30 rounded-xl border border-gray-200 bg-white p-4 shadow-lg sm:absolute sm:inset-x-auto sm:top-auto sm:right-0 sm:mt-1 sm:w-96"
        >
          <h2 id={headingId} className="text-sm font-semibold text-gray-900">
            Alerts
          </h2>
          <p className="mt-1 text-sm text-gray-600" data-testid="notification-permission">
            {PERMISSION_TEXT[permission]}
          </p>
          {permission === 'default' && (
            <Button className="mt-2 w-full" onClick={async () => setPermission(await requestNotificationPermission())}>
              Enable browser notifications
            </Button>
          )}
          {preferences.data ? (
            <table className="mt-3 w-full text-sm">
              <thead>
                <tr className="text-xs text-gray-500">
                  <th scope="col" className="py-1 text-left font-medium">
                    <span className="sr-only">Alert</span>
                  </th>
                  {ALERT_CHANNELS.map((channel) => (
                    <th key={channel} scope="col" className="w-16 py-1 text-center font-medium">
                      {ALERT_CHANNEL_LABELS[channel]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ALERT_KINDS.map((kind) => (
                  <tr key={kind} className="border-t border-gray-100">
                    <th scope="row" className="py-1 pr-2 text-left font-normal text-gray-800">
                      {ALERT_KIND_LABELS[kind]}
                    </th>
                    {ALERT_CHANNELS.map((channel) => (
                      <td key={channel} className="text-center">
                        <label className="inline-flex h-11 w-11 cursor-pointer items-center justify-center">
                          <input
                            type="checkbox"
                            checked={saving[`${kind}.${channel}`] ?? preferences.data[kind][channel]}
                            onChange={(event) => toggle(kind, channel, event.target.checked)}
                            aria-label={`${ALERT_KIND_LABELS[kind]}: ${ALERT_CHANNEL_LABELS[channel]}`}
                            className="h-4.5 w-4.5 accent-brand-600"
                          />
                        </label>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="mt-3 text-sm text-gray-500">
              {preferences.isError ? 'Could not load your alerts.' : 'Loading…'}
            </p>
          )}
          {setSwitch.isError && (
            <p role="alert" className="mt-2 text-sm text-red-700">
              That change was not saved. Try again.
            </p>
          )}
          <div className="mt-3 flex items-center justify-between gap-2 border-t border-gray-100 pt-3">
            <p className="text-xs text-gray-500">
              Saved to your account. The conversation you are looking at never alerts.
            </p>
            <Button variant="secondary" className="shrink-0" onClick={playAlertSound}>
              Test sound
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}
