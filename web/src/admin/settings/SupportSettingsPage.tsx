// Admin -> Settings -> Support and Routing: attachment size limit and allowed file types (Support);
// auto-assignment, capacity and offline grace (Routing). One settings object, one endpoint: each tab
// edits its own fields. Checked with the server's own Zod schema before saving; the server's field
// errors show too.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import {
  KNOWN_ATTACHMENT_TYPES,
  MAX_AGENT_CAPACITY,
  MAX_ATTACHMENT_SIZE_MB_LIMIT,
  MIN_OFFLINE_GRACE_SECONDS,
  SupportSettings,
} from '../../../../common/settings';
import { errorMessage, fieldErrorsOf } from '../../api/api-error';
import { apiFetch } from '../../api/api-fetch';
import { supportKeys } from '../../chat/query-keys';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';

const SETTINGS_URL = '/api/admin/settings/support';
const settingsKey = ['admin', 'settings', 'support'] as const;

type Field = keyof SupportSettings;
type FieldErrors = Partial<Record<Field | '_', string>>;
type FormState = {
  maxAttachmentSizeMB: string;
  allowedAttachmentTypes: string[];
  autoAssignAdmin: boolean;
  maxOpenConversationsPerAgent: string;
  agentOfflineGraceSeconds: string;
};

const toForm = (settings: SupportSettings): FormState => ({
  maxAttachmentSizeMB: String(settings.maxAttachmentSizeMB),
  allowedAttachmentTypes: [...settings.allowedAttachmentTypes],
  autoAssignAdmin: settings.autoAssignAdmin,
  maxOpenConversationsPerAgent: String(settings.maxOpenConversationsPerAgent),
  agentOfflineGraceSeconds: String(settings.agentOfflineGraceSeconds),
});

/** An emptied number field stays missing (so the schema names it), not 0. */
const numberOrMissing = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** Messages by top-level field ("allowedAttachmentTypes.0" belongs to allowedAttachmentTypes). */
function byField(messages: Record<string, string[]>): FieldErrors {
  const result: FieldErrors = {};
  for (const [path, list] of Object.entries(messages)) {
    const head = path.split('.')[0] ?? '_';
    const field = (head in SupportSettings.shape ? head : '_') as Field | '_';
    result[field] = [result[field], ...list].filter(Boolean).join(' ');
  }
  return result;
}

const SECTION_FIELDS: Record<SettingsSection, readonly Field[]> = {
  support: ['maxAttachmentSizeMB', 'allowedAttachmentTypes'],
  routing: ['autoAssignAdmin', 'maxOpenConversationsPerAgent', 'agentOfflineGraceSeconds'],
};

/** A message about a field the other tab shows goes to the general error, so that it is seen. */
function forSection(errors: FieldErrors, section: SettingsSection): FieldErrors {
  const result: FieldErrors = {};
  for (const [field, message] of Object.entries(errors) as [Field | '_', string][]) {
    const key = field !== '_' && SECTION_FIELDS[section].includes(field) ? field : '_';
    result[key] = [result[key], message].filter(Boolean).join(' ');
  }
  return result;
}

export function validateSettings(form: FormState) {
  const size = form.maxAttachmentSizeMB.trim();
  return SupportSettings.safeParse({
    maxAttachmentSizeMB: size === '' ? undefined : Number(size),
    allowedAttachmentTypes: form.allowedAttachmentTypes,
    autoAssignAdmin: form.autoAssignAdmin,
    maxOpenConversationsPerAgent: numberOrMissing(form.maxOpenConversationsPerAgent),
    agentOfflineGraceSeconds: numberOrMissing(form.agentOfflineGraceSeconds),
  });
}

/** Which fields a page shows: Support (files) and Routing share one settings object and endpoint. */
export type SettingsSection = 'support' | 'routing';

const SECTION_TEXT: Record<SettingsSection, { title: string; intro: string }> = {
  support: { title: 'Support', intro: 'Limits for files sent in support chats.' },
  routing: {
    title: 'Routing',
    intro: 'How new conversations reach your team: automatic assignment, capacity and when an agent counts as offline.',
  },
};

export function SupportSettingsPage({ section = 'support' }: { section?: SettingsSection }) {
  const query = useQuery({
    queryKey: settingsKey,
    queryFn: ({ signal }) => apiFetch<SupportSettings>(SETTINGS_URL, { signal }),
  });
  const text = SECTION_TEXT[section];
  return (
    <div className="max-w-2xl pt-6">
      <h2 className="text-lg font-semibold text-gray-900">{text.title}</h2>
      <p className="mt-1 text-sm text-gray-600">{text.intro}</p>
      {query.isPending ? (
        <div className="mt-8">
          <Spinner label="Loading settings" />
        </div>
      ) : query.isError ? (
        <div role="alert" className="mt-8 rounded-lg bg-red-50 p-4 text-sm text-red-700">
          {errorMessage(query.error, 'The settings could not be loaded.')}{' '}
          <button type="button" className="font-medium underline" onClick={() => query.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <SettingsForm initial={query.data} section={section} />
      )}
    </div>
  );
}

export function SettingsForm({
  initial,
  section = 'support',
}: {
  initial: SupportSettings;
  /** The other section's fields are sent back as loaded (the endpoint takes the whole object). */
  section?: SettingsSection;
}) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<FormState>(() => toForm(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const ids = { size: useId(), types: useId(), auto: useId(), capacity: useId(), grace: useId() };

  useEffect(() => setForm(toForm(initial)), [initial]);

  // Take the person to the first field that needs fixing (the form can be taller than the screen).
  const focusFirstError = (found: FieldErrors) => {
    const target = found.maxAttachmentSizeMB
      ? document.getElementById(ids.size)
      : found.allowedAttachmentTypes
        ? document.querySelector<HTMLElement>('input[name="allowedAttachmentTypes"]')
        : null;
    target?.focus();
  };

  const save = useMutation({
    mutationFn: (settings: SupportSettings) =>
      apiFetch<SupportSettings>(SETTINGS_URL, { method: 'PUT', body: settings }),
    onSuccess: (settings) => {
      queryClient.setQueryData(settingsKey, settings);
      void queryClient.invalidateQueries({ queryKey: supportKeys.limits() });
      setSaved(true);
    },
    onError: (error) => {
      const fieldErrors = byField(fieldErrorsOf(error));
      setErrors(Object.keys(fieldErrors).length > 0 ? forSection(fieldErrors, section) : { _: errorMessage(error) });
      focusFirstError(fieldErrors);
    },
  });

  const update = (patch: Partial<FormState>) => {
    setForm((current) => ({ ...current, ...patch }));
    setSaved(false);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateSettings(form);
    if (!result.success) {
      const found = byField(
        Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.') || '_', [issue.message]])),
      );
      setErrors(forSection(found, section));
      focusFirstError(found);
      return;
    }
    setErrors({});
    save.mutate(result.data);
  };

  const errorText = (field: Field, id: string) =>
    errors[field] ? (
      <p id={`${id}-error`} className="mt-2 text-sm text-red-600">
        {errors[field]}
      </p>
    ) : null;

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-6">
      {errors._ && (
        <p role="alert" className="rounded-lg bg-red-50 px-4 py-3 text-sm text-red-700">
          {errors._}
        </p>
      )}

      {section === 'support' && (
        <>
          <section className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm">
            <label htmlFor={ids.size} className="block text-sm font-medium text-gray-900">
              Maximum attachment size
            </label>
            <p id={`${ids.size}-hint`} className="mt-1 text-sm text-gray-500">
              Files larger than this are refused. Between 1 and {MAX_ATTACHMENT_SIZE_MB_LIMIT} MB.
            </p>
            <div className="mt-3 flex items-center gap-2">
              <input
                id={ids.size}
                name="maxAttachmentSizeMB"
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_ATTACHMENT_SIZE_MB_LIMIT}
                step={1}
                value={form.maxAttachmentSizeMB}
                onChange={(event) => update({ maxAttachmentSizeMB: event.target.value })}
                aria-invalid={errors.maxAttachmentSizeMB ? true : undefined}
                aria-describedby={`${ids.size}-hint${errors.maxAttachmentSizeMB ? ` ${ids.size}-error` : ''}`}
                className={`block min-h-11 w-28 rounded-lg border px-3 text-base sm:text-sm ${
                  errors.maxAttachmentSizeMB ? 'border-red-500' : 'border-gray-300'
                }`}
              />
              <span className="text-sm text-gray-600">MB</span>
            </div>
            {errorText('maxAttachmentSizeMB', ids.size)}
          </section>

          <fieldset
            className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm"
            aria-describedby={`${ids.types}-hint${errors.allowedAttachmentTypes ? ` ${ids.types}-error` : ''}`}
            aria-invalid={errors.allowedAttachmentTypes ? true : undefined}
          >
            <legend className="float-left text-sm font-medium text-gray-900">Allowed file types</legend>
            <p id={`${ids.types}-hint`} className="clear-left pt-1 text-sm text-gray-500">
              The file's content is checked, not just its name.
            </p>
            <div className="mt-3 grid gap-1 sm:grid-cols-2">
              {KNOWN_ATTACHMENT_TYPES.map((type) => {
                const checked = form.allowedAttachmentTypes.includes(type.mime);
                return (
                  <label
                    key={type.mime}
                    className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg px-2 text-sm text-gray-800 hover:bg-gray-50"
                  >
                    <input
                      type="checkbox"
                      name="allowedAttachmentTypes"
                      value={type.mime}
                      checked={checked}
                      onChange={() =>
                        update({
                          allowedAttachmentTypes: checked
                            ? form.allowedAttachmentTypes.filter((mime) => mime !== type.mime)
                            : [...form.allowedAttachmentTypes, type.mime],
                        })
                      }
                      className="h-4 w-4 rounded border-gray-300 accent-brand-600"
                    />
                    <span>
                      {type.label}
                      {/* Some labels already name their extension, e.g. "Word document (.docx)". */}
                      {!type.label.includes('(') && (
                        <span className="text-gray-500"> ({type.extensions.map((ext) => `.${ext}`).join(', ')})</span>
                      )}
                    </span>
                  </label>
                );
              })}
            </div>
            {errorText('allowedAttachmentTypes', ids.types)}
          </fieldset>
        </>
      )}

      {section === 'routing' && (
        <>
          <section className="flex items-start justify-between gap-4 rounded-xl border border-gray-200 bg-white p-5 shadow-sm">
            <div>
              <span id={ids.auto} className="block text-sm font-medium text-gray-900">
                Assign new conversations automatically
              </span>
              <p id={`${ids.auto}-hint`} className="mt-1 text-sm text-gray-500">
                On: each new conversation goes to an online agent with room, the one with the fewest open conversations
                first; if nobody has room it waits in the queue. Off: it waits unassigned until an agent replies or
                takes it.
              </p>
              {errorText('autoAssignAdmin', ids.auto)}
            </div>
            <button
              type="button"
              role="switch"
              aria-checked={form.autoAssignAdmin}
              aria-labelledby={ids.auto}
              aria-describedby={`${ids.auto}-hint`}
              onClick={() => update({ autoAssignAdmin: !form.autoAssignAdmin })}
              className="flex min-h-11 shrink-0 items-center"
            >
              <span
                className={`relative inline-flex h-6 w-11 items-center rounded-full transition-colors ${
                  form.autoAssignAdmin ? 'bg-brand-600' : 'bg-gray-300'
                }`}
              >
                <span
                  className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${
                    form.autoAssignAdmin ? 'translate-x-5.5' : 'translate-x-0.5'
                  }`}
                />
              </span>
            </button>
          </section>

          {(
            [
              [
                'maxOpenConversationsPerAgent',
                ids.capacity,
                'Open conversations per agent',
                `Routing gives an agent no more than this; a lead can change it for one agent. 1 to ${MAX_AGENT_CAPACITY}.`,
                'conversations',
              ],
              [
                'agentOfflineGraceSeconds',
                ids.grace,
                'Offline after',
                `An agent whose dashboard closed counts as offline after this, and their open conversations go to others. ${MIN_OFFLINE_GRACE_SECONDS} to 3600 seconds.`,
                'seconds',
              ],
            ] as const
          ).map(([field, id, label, hint, unit]) => (
            <section key={field} className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm">
              <label htmlFor={id} className="block text-sm font-medium text-gray-900">
                {label}
              </label>
              <p id={`${id}-hint`} className="mt-1 text-sm text-gray-500">
                {hint}
              </p>
              <div className="mt-3 flex items-center gap-2">
                <input
                  id={id}
                  name={field}
                  type="number"
                  inputMode="numeric"
                  step={1}
                  value={form[field]}
                  onChange={(event) => update({ [field]: event.target.value })}
                  aria-invalid={errors[field] ? true : undefined}
                  aria-describedby={`${id}-hint${errors[field] ? ` ${id}-error` : ''}`}
                  className={`block min-h-11 w-28 rounded-lg border px-3 text-base sm:text-sm ${
                    errors[field] ? 'border-red-500' : 'border-gray-300'
                  }`}
                />
                <span className="text-sm text-gray-600">{unit}</span>
              </div>
              {errorText(field, id)}
            </section>
          ))}
        </>
      )}

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
