// Admin -> Settings -> Saved replies (SETTINGS_MANAGE): the texts agents insert from the composer
// by typing "/" and the shortcut. Create, edit and delete (with a confirmation); checked with the
// server's own schema and variable list before saving, and the server's field errors show too.
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import {
  SAVED_REPLY_BODY_MAX_LENGTH,
  SAVED_REPLY_VARIABLE_NAMES,
  SAVED_REPLY_VARIABLES,
  type SavedReplyDto,
  SavedReplyInput,
  SHORTCUT_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  unknownVariables,
  VARIABLE_PATTERN,
} from '../../../../common/saved-replies';
import { ApiError, errorMessage } from '../../api/api-error';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';
import { useDeleteSavedReply, useSavedReplies, useSaveSavedReply } from '../saved-replies/saved-replies';

type Field = 'shortcut' | 'title' | 'body';
type FieldErrors = Partial<Record<Field | '_', string>>;
type FormState = Record<Field, string>;
/** null: nothing open; 'new': the create form; an id: that reply's edit form. */
type Editing = null | 'new' | string;

const EMPTY: FormState = { shortcut: '', title: '', body: '' };

/** The form's problems, as the server would name them (schema, then unknown variables). */
export function validateSavedReply(
  form: FormState,
): { ok: true; input: SavedReplyInput } | { ok: false; errors: FieldErrors } {
  const result = SavedReplyInput.safeParse(form);
  const errors: FieldErrors = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '_') as Field | '_';
      errors[field] ??= issue.message;
    }
  }
  const unknown = unknownVariables(form.body);
  if (unknown.length > 0 && !errors.body) {
    errors.body = `Unknown variable: ${unknown.map((name) => `{{${name}}}`).join(', ')}. Use one of the listed variables.`;
  }
  if (Object.keys(errors).length > 0 || !result.success) return { ok: false, errors };
  return { ok: true, input: result.data };
}

/** Field errors from the server: VALIDATION_FAILED, SAVED_REPLY_UNKNOWN_VARIABLE, SAVED_REPLY_SHORTCUT_TAKEN. */
function serverErrors(error: unknown): FieldErrors {
  const details = error instanceof ApiError ? error.details : undefined;
  const fieldErrors =
    details && typeof details === 'object' && 'fieldErrors' in details
      ? (details as { fieldErrors: Record<string, string[]> }).fieldErrors
      : {};
  const result: FieldErrors = {};
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const head = path.split('.')[0] as Field;
    const field: Field | '_' = head === 'shortcut' || head === 'title' || head === 'body' ? head : '_';
    result[field] = [result[field], ...messages].filter(Boolean).join(' ');
  }
  return Object.keys(result).length > 0 ? result : { _: errorMessage(error, 'The saved reply was not saved.') };
}

export function SavedRepliesSettingsPage() {
  const replies = useSavedReplies({ staleTime: 30_000 });
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState('');

  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };

  return (
    <div className="pt-6">
      <div>
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 className="text-lg font-semibold text-gray-900">Saved replies</h2>
            <p className="mt-1 text-sm text-gray-600">
              Answers agents insert by typing <kbd className="rounded bg-gray-100 px-1 font-mono text-gray-800">/</kbd>{' '}
              and the shortcut in a conversation. Variables are filled in for that conversation.
            </p>
          </div>
          {editing !== 'new' && (
            <Button
              onClick={() => {
                setEditing('new');
                setNotice('');
              }}
            >
              New saved reply
            </Button>
          )}
        </div>
        <p role="status" className="mt-3 min-h-5 text-sm font-medium text-green-700">
          {notice}
        </p>

        {editing === 'new' && (
          <SavedReplyForm
            initial={EMPTY}
            onCancel={() => setEditing(null)}
            onSaved={(reply) => done(`Saved /${reply.shortcut}.`)}
          />
        )}

        {replies.isPending ? (
          <div className="mt-6">
            <Spinner label="Loading saved replies" />
          </div>
        ) : replies.isError ? (
          <div role="alert" className="mt-6 rounded-lg bg-red-50 p-4 text-sm text-red-700">
            {errorMessage(replies.error, 'The saved replies could not be loaded.')}{' '}
            <button type="button" className="font-medium underline" onClick={() => replies.refetch()}>
              Try again
            </button>
          </div>
        ) : replies.data.length === 0 && editing !== 'new' ? (
          <p className="mt-6 rounded-xl border border-dashed border-gray-300 bg-white p-6 text-center text-sm text-gray-600">
            No saved replies yet. Create one, e.g. <span className="font-mono">/refund-late</span>.
          </p>
        ) : (
          <ul aria-label="Saved replies" className="mt-4 space-y-3">
            {replies.data.map((reply) =>
              editing === reply.id ? (
                <li key={reply.id}>
                  <SavedReplyForm
                    savedReplyId={reply.id}
                    initial={{ shortcut: reply.shortcut, title: reply.title, body: reply.body }}
                    onCancel={() => setEditing(null)}
                    onSaved={(saved) => done(`Saved /${saved.shortcut}.`)}
                  />
                </li>
              ) : (
                <SavedReplyItem
                  key={reply.id}
                  reply={reply}
                  onEdit={() => {
                    setEditing(reply.id);
                    setNotice('');
                  }}
                  onDeleted={() => done(`Deleted /${reply.shortcut}.`)}
                />
              ),
            )}
          </ul>
        )}
      </div>
    </div>
  );
}

/** The body as text, its {{variables}} marked so that a lead sees what will be filled in. */
function BodyWithVariables({ body }: { body: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of body.matchAll(VARIABLE_PATTERN)) {
    const index = match.index ?? 0;
    parts.push(body.slice(last, index));
    parts.push(
      <span key={index} className="rounded bg-brand-50 px-1 font-mono text-xs text-brand-700">
        {match[1]}
      </span>,
    );
    last = index + match[0].length;
  }
  parts.push(body.slice(last));
  return <>{parts}</>;
}

function SavedReplyItem({
  reply,
  onEdit,
  onDeleted,
}: {
  reply: SavedReplyDto;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const remove = useDeleteSavedReply();
  const [confirming, setConfirming] = useState(false);
  const titleId = useId();
  return (
    <li aria-labelledby={titleId} className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm sm:p-5">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-mono text-sm font-medium text-brand-700">/{reply.shortcut}</p>
          <h2 id={titleId} className="mt-0.5 text-base font-medium text-gray-900">
            {reply.title}
          </h2>
        </div>
        {!confirming && (
          <div className="flex gap-1">
            <Button variant="secondary" onClick={onEdit} aria-label={`Edit /${reply.shortcut}`}>
              Edit
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(true)} aria-label={`Delete /${reply.shortcut}`}>
              Delete
            </Button>
          </div>
        )}
      </div>
      <p className="mt-2 line-clamp-3 text-sm whitespace-pre-wrap text-gray-700">
        <BodyWithVariables body={reply.body} />
      </p>
      {reply.createdByName && <p className="mt-2 text-xs text-gray-500">Created by {reply.createdByName}</p>}
      {confirming && (
        <div
          role="alertdialog"
          aria-label={`Delete /${reply.shortcut}?`}
          className="mt-3 flex flex-wrap items-center gap-2 rounded-lg bg-red-50 p-3"
        >
          <p className="mr-auto text-sm text-red-800">
            Delete <span className="font-mono">/{reply.shortcut}</span>? Agents can no longer insert it.
          </p>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={remove.isPending}
            // The confirmation opens with the destructive choice one tab away, not focused.
            onClick={() => remove.mutate(reply.id, { onSuccess: onDeleted })}
          >
            {remove.isPending ? 'Deleting…' : 'Delete'}
          </Button>
          {remove.error && (
            <p role="alert" className="w-full text-sm text-red-700">
              {errorMessage(remove.error, 'The saved reply was not deleted.')}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

function SavedReplyForm({
  savedReplyId,
  initial,
  onCancel,
  onSaved,
}: {
  savedReplyId?: string;
  initial: FormState;
  onCancel: () => void;
  onSaved: (reply: SavedReplyDto) => void;
}) {
  const save = useSaveSavedReply();
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const body = useRef<HTMLTextAreaElement>(null);
  const ids = { shortcut: useId(), title: useId(), body: useId(), heading: useId() };

  const focusFirst = (found: FieldErrors) => {
    const field = (['shortcut', 'title', 'body'] as const).find((name) => found[name]);
    if (field) document.getElementById(ids[field])?.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validateSavedReply(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirst(checked.errors);
      return;
    }
    setErrors({});
    save.mutate(
      { savedReplyId, input: checked.input },
      {
        onSuccess: onSaved,
        onError: (error) => {
          const found = serverErrors(error);
          setErrors(found);
          focusFirst(found);
        },
      },
    );
  };

  /** Puts `{{name}}` at the caret (or replaces the selection) and keeps typing there. */
  const insertVariable = (name: string) => {
    const element = body.current;
    const token = `{{${name}}}`;
    const start = element?.selectionStart ?? form.body.length;
    const end = element?.selectionEnd ?? start;
    setForm((current) => ({ ...current, body: current.body.slice(0, start) + token + current.body.slice(end) }));
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const describedBy = (field: Field, hint?: string) =>
    [hint, errors[field] ? `${ids[field]}-error` : null].filter(Boolean).join(' ') || undefined;
  const errorText = (field: Field) =>
    errors[field] ? (
      <p id={`${ids[field]}-error`} className="mt-1.5 text-sm text-red-600">
        {errors[field]}
      </p>
    ) : null;
  const inputClass = (field: Field) =>
    `block min-h-11 w-full rounded-lg border px-3 text-base sm:text-sm ${errors[field] ? 'border-red-500' : 'border-gray-300'}`;

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-labelledby={ids.heading}
      className="mt-4 space-y-4 rounded-xl border border-brand-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <h2 id={ids.heading} className="text-base font-semibold text-gray-900">
        {savedReplyId ? `Edit /${initial.shortcut}` : 'New saved reply'}
      </h2>
      {errors._ && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors._}
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]">
        <div>
          <label htmlFor={ids.shortcut} className="block text-sm font-medium text-gray-900">
            Shortcut
          </label>
          <div className="mt-1 flex items-center">
            <span aria-hidden="true" className="mr-1 font-mono text-gray-500">
              /
            </span>
            <input
              id={ids.shortcut}
              name="shortcut"
              value={form.shortcut}
              maxLength={SHORTCUT_MAX_LENGTH}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              onChange={(event) => setForm({ ...form, shortcut: event.target.value })}
              aria-invalid={errors.shortcut ? true : undefined}
              aria-describedby={describedBy('shortcut', `${ids.shortcut}-hint`)}
              className={`${inputClass('shortcut')} font-mono`}
              placeholder="refund-late"
            />
          </div>
          <p id={`${ids.shortcut}-hint`} className="mt-1 text-xs text-gray-500">
            Letters, digits and hyphens.
          </p>
          {errorText('shortcut')}
        </div>
        <div>
          <label htmlFor={ids.title} className="block text-sm font-medium text-gray-900">
            Title
          </label>
          <input
            id={ids.title}
            name="title"
            value={form.title}
            maxLength={TITLE_MAX_LENGTH}
            onChange={(event) => setForm({ ...form, title: event.target.value })}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={describedBy('title')}
            className={`mt-1 ${inputClass('title')}`}
            placeholder="Refund for a late order"
          />
          {errorText('title')}
        </div>
      </div>
      <div>
        <label htmlFor={ids.body} className="block text-sm font-medium text-gray-900">
          Reply
        </label>
        <textarea
          id={ids.body}
          ref={body}
          name="body"
          rows={5}
          value={form.body}
          onChange={(event) => setForm({ ...form, body: event.target.value })}
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={describedBy('body', `${ids.body}-hint`)}
          className={`mt-1 ${inputClass('body')} py-2`}
          placeholder="Hi {{user.firstName}}, I'm sorry your order {{order.number}} was late…"
        />
        <div id={`${ids.body}-hint`} className="mt-1.5 text-xs text-gray-500">
          <p>
            Variables (click to insert). Without a value: the user's names become "there", the order number is left out.
            At most {SAVED_REPLY_BODY_MAX_LENGTH} characters.
          </p>
        </div>
        <ul aria-label="Variables" className="mt-2 flex flex-wrap gap-1.5">
          {SAVED_REPLY_VARIABLE_NAMES.map((name) => (
            <li key={name}>
              <button
                type="button"
                onClick={() => insertVariable(name)}
                title={SAVED_REPLY_VARIABLES[name].description}
                aria-label={`Insert {{${name}}}: ${SAVED_REPLY_VARIABLES[name].description}`}
                className="min-h-9 rounded-md border border-gray-300 bg-gray-50 px-2 font-mono text-xs text-gray-800 hover:bg-gray-100"
              >
                {`{{${name}}}`}
              </button>
            </li>
          ))}
        </ul>
        {errorText('body')}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : savedReplyId ? 'Save changes' : 'Create saved reply'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
