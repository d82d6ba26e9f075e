// Admin -> Settings -> Notifications (leads, SETTINGS_MANAGE): when an unread reply becomes an
// e-mail or push and whether it quotes the reply, and the notifications that failed for good,
// with Retry and Dismiss. The list shows ids, channels and error codes only (nothing personal).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import {
  type FailedNotification,
  type NotificationChannel,
  NotificationSettings,
} from '../../../../common/notifications';
import { errorMessage, fieldErrorsOf } from '../../api/api-error';
import { ADMIN_PATHS } from '../../auth/home-path';
import { notificationKeys, notificationsApi } from '../../notifications/api';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';

const CHANNEL_LABELS: Record<NotificationChannel, string> = { email: 'e-mail', push: 'push' };
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What an error code means, in a few words (the code itself is shown too). */
export function describeErrorCode(code: string): string {
  const [channel, ...rest] = code.split('_');
  const detail = rest.join('_');
  const status = Number(detail);
  if (channel === 'EMAIL') {
    if (status >= 500) return 'the mail server refused it';
    if (status >= 400) return 'the mail server asked to try later';
    return 'the mail server could not be reached';
  }
  if (channel === 'PUSH') {
    if (status === 401 || status === 403) return 'the push service refused the server’s keys';
    if (status >= 400) return `the push service answered ${status}`;
    return 'the push service could not be reached';
  }
  return 'delivery failed';
}

const formatWhen = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function NotificationSettingsPage() {
  return (
    <div className="pt-6">
      <h2 className="text-lg font-semibold text-gray-900">Notifications</h2>
      <p className="mt-1 text-sm text-gray-600">
        Users who are not in the app hear about unread replies by e-mail or push.
      </p>
      <DeliverySettings />
      <FailedNotifications />
    </div>
  );
}

function DeliverySettings() {
  const query = useQuery({ queryKey: notificationKeys.settings, queryFn: notificationsApi.settings });
  if (query.isPending) {
    return (
      <div className="mt-6">
        <Spinner label="Loading settings" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div role="alert" className="mt-6 rounded-lg bg-red-50 p-4 text-sm text-red-700">
        {errorMessage(query.error, 'The settings could not be loaded.')}{' '}
        <button type="button" className="font-medium underline" onClick={() => query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return <DeliverySettingsForm initial={query.data} />;
}

function DeliverySettingsForm({ initial }: { initial: NotificationSettings }) {
  const queryClient = useQueryClient();
  const [delay, setDelay] = useState(String(initial.delaySeconds));
  const [includePreview, setIncludePreview] = useState(initial.includePreview);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const ids = { delay: useId(), preview: useId() };

  useEffect(() => {
    setDelay(String(initial.delaySeconds));
    setIncludePreview(initial.includePreview);
  }, [initial]);

  const save = useMutation({
    mutationFn: notificationsApi.updateSettings,
    onSuccess: (settings) => {
      queryClient.setQueryData(notificationKeys.settings, settings);
      setSaved(true);
    },
    onError: (failure) => setError(Object.values(fieldErrorsOf(failure)).flat().join(' ') || errorMessage(failure)),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = NotificationSettings.safeParse({
      delaySeconds: delay.trim() === '' ? Number.NaN : Number(delay),
      includePreview,
    });
    if (!result.success) {
      setError(result.error.issues.map((issue) => issue.message).join(' '));
      document.getElementById(ids.delay)?.focus();
      return;
    }
    setError(null);
    save.mutate(result.data);
  };

  const minutes = Number(delay) / 60;
  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <section className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm">
        <label htmlFor={ids.delay} className="block text-sm font-medium text-gray-900">
          Notify after
        </label>
        <p id={`${ids.delay}-hint`} className="mt-1 text-sm text-gray-500">
          How long a reply may stay unread before the user is told; replies in between become one notification. 0 to
          86400 seconds.
        </p>
        <div className="mt-3 flex items-center gap-2">
          <input
            id={ids.delay}
            name="delaySeconds"
            type="number"
            inputMode="numeric"
            min={0}
            max={86_400}
            step={1}
            value={delay}
            onChange={(event) => {
              setDelay(event.target.value);
              setSaved(false);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${ids.delay}-hint${error ? ` ${ids.delay}-error` : ''}`}
            className={`block min-h-11 w-28 rounded-lg border px-3 text-base sm:text-sm ${
              error ? 'border-red-500' : 'border-gray-300'
            }`}
          />
          <span className="text-sm text-gray-600">
            seconds
            {Number.isFinite(minutes) && minutes >= 1 && Number.isInteger(minutes)
              ? ` (${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`
              : ''}
          </span>
        </div>
        {error && (
          <p id={`${ids.delay}-error`} className="mt-2 text-sm text-red-600">
            {error}
          </p>
        )}
      </section>

      <section className="flex items-start justify-between gap-4 rounded-xl border border-gray-200 bg-white p-5 shadow-sm">
        <div>
          <span id={ids.preview} className="block text-sm font-medium text-gray-900">
            Quote the reply
          </span>
          <p id={`${ids.preview}-hint`} className="mt-1 text-sm text-gray-500">
            On: e-mails and pushes show the reply’s first 140 characters. Off: only who replied and the topic. Replies
            can hold personal data, and this sends it to mail and push services.
          </p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={includePreview}
          aria-labelledby={ids.preview}
          aria-describedby={`${ids.preview}-hint`}
          onClick={() => {
            setIncludePreview(!includePreview);
            setSaved(false);
          }}
          className="flex min-h-11 shrink-0 items-center"
        >
          <span
            className={`relative inline-flex h-6 w-11 items-center rounded-full transition-colors ${
              includePreview ? 'bg-brand-600' : 'bg-gray-300'
            }`}
          >
            <span
              className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${
                includePreview ? 'translate-x-5.5' : 'translate-x-0.5'
              }`}
            />
          </span>
        </button>
      </section>

      <div className="flex items-center gap-4">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save changes'}
        </Button>
        <p role="status" className="text-sm font-medium text-green-700">
          {saved ? 'Settings saved.' : ''}
        </p>
      </div>
    </form>
  );
}

export function FailedNotifications() {
  const headingId = useId();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: notificationKeys.failed, queryFn: notificationsApi.failed });
  const [notice, setNotice] = useState<{ kind: 'done' | 'error'; text: string } | null>(null);

  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'retry' | 'dismiss' }) =>
      action === 'retry' ? notificationsApi.retryFailed(id) : notificationsApi.dismissFailed(id),
    onSuccess: (result) => {
      setNotice({
        kind: 'done',
        text:
          result.outcome === 'dismissed'
            ? 'Dismissed. It will not be sent.'
            : result.outcome === 'merged'
              ? 'A newer notification for this conversation was waiting; it now covers these replies too.'
              : 'Queued again. It is sent on the next round unless the user has read the reply.',
      });
    },
    onError: (failure) => setNotice({ kind: 'error', text: errorMessage(failure) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.failed }),
  });

  return (
    <section aria-labelledby={headingId} className="mt-10">
      <h3 id={headingId} className="text-base font-semibold text-gray-900">
        Failed notifications
      </h3>
      <p className="mt-1 text-sm text-gray-600">
        Notifications that gave up after the last attempt. Retry sends one again (channels that already took it are
        skipped); Dismiss takes it off this list.
      </p>
      <p role="status" className={`mt-3 text-sm ${notice?.kind === 'error' ? 'text-red-700' : 'text-green-700'}`}>
        {notice?.text ?? ''}
      </p>
      {query.isPending ? (
        <div className="mt-4">
          <Spinner label="Loading failed notifications" />
        </div>
      ) : query.isError ? (
        <div role="alert" className="mt-4 rounded-lg bg-red-50 p-4 text-sm text-red-700">
          {errorMessage(query.error, 'The failed notifications could not be loaded.')}{' '}
          <button type="button" className="font-medium underline" onClick={() => query.refetch()}>
            Try again
          </button>
        </div>
      ) : query.data.items.length === 0 ? (
        <p className="mt-4 rounded-xl border border-dashed border-gray-300 bg-white p-6 text-center text-sm text-gray-600">
          No failed notifications. Every notification so far was delivered or had no need to be.
        </p>
      ) : (
        <>
          <ul className="mt-4 divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white shadow-sm">
            {query.data.items.map((item) => (
              <FailedRow
                key={item.id}
                item={item}
                busy={act.isPending && act.variables?.id === item.id}
                onAction={(action) => {
                  setNotice(null);
                  act.mutate({ id: item.id, action });
                }}
              />
            ))}
          </ul>
          {query.data.total > query.data.items.length && (
            <p className="mt-2 text-sm text-gray-500">
              The newest {query.data.items.length} of {query.data.total}.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function FailedRow({
  item,
  busy,
  onAction,
}: {
  item: FailedNotification;
  busy: boolean;
  onAction: (action: 'retry' | 'dismiss') => void;
}) {
  const summaryId = useId();
  const codes = item.lastError ? item.lastError.split(',') : [];
  const channels = capitalised(
    item.channels.map((channel) => CHANNEL_LABELS[channel]).join(' and ') || 'unknown channel',
  );
  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:gap-6">
      <div className="min-w-0 flex-1">
        <p id={summaryId} className="text-sm font-medium text-gray-900">
          {channels} <span className="font-normal text-gray-500">· failed {formatWhen(item.failedAt)}</span>
        </p>
        <p className="mt-1 text-sm text-gray-600">
          {item.attempts} {item.attempts === 1 ? 'attempt' : 'attempts'}
          {codes.map((code) => (
            <span key={code}>
              {' · '}
              <code className="rounded bg-gray-100 px-1 py-0.5 text-xs text-gray-800">{code}</code>{' '}
              {describeErrorCode(code)}
            </span>
          ))}
          {item.deliveredChannels.length > 0 &&
            ` · delivered by ${item.deliveredChannels.map((channel) => CHANNEL_LABELS[channel]).join(' and ')}`}
        </p>
        <Link
          to={`${ADMIN_PATHS.supportChat}/${item.conversationId}`}
          className="mt-1 inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline-offset-2 hover:underline sm:min-h-0"
        >
          Open conversation
        </Link>
      </div>
      <div className="flex shrink-0 gap-2">
        <Button variant="secondary" disabled={busy} aria-describedby={summaryId} onClick={() => onAction('retry')}>
          Retry
        </Button>
        <Button variant="ghost" disabled={busy} aria-describedby={summaryId} onClick={() => onAction('dismiss')}>
          Dismiss
        </Button>
      </div>
    </li>
  );
}
