// The admin composer's "Note" mode: an internal note, with @mention autocomplete of the agents who
// hold SUPPORT_CHAT. Mentions are sent by admin id (as picked here), not by the names in the text;
// a picked name deleted from the text before sending is no longer mentioned. No typing events go
// out while writing a note: the user would see "Support is typing…" for a text they never get.
import {
  type ChangeEvent,
  type FormEvent,
  type KeyboardEvent,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { AdminSummary } from '../../../../common/support';
import { MAX_MESSAGE_LENGTH } from '../../../../common/support';
import { errorMessage } from '../../api/api-error';
import { useSupportAdmins, useViewer } from '../../chat/hooks';
import { type SlashCommands, useSlashCommands } from '../../chat/slash-commands';
import { AutocompleteList, replaceRange, useTextAutocomplete } from '../../chat/text-autocomplete';
import { SendIcon } from '../../ui/icons';
import { useCreateNote } from './notes';

/** "@" at the start or after a space, then up to 40 name characters before the caret. */
const MENTION_QUERY = /(^|\s)@([\p{L}\p{N}'. -]{0,40})$/u;
const MAX_SUGGESTIONS = 6;

/** Agents whose name (or a word of it) starts with the query. */
export function matchAgents(agents: readonly AdminSummary[], query: string): AdminSummary[] {
  const wanted = query.trim().toLowerCase();
  return agents
    .filter((agent) => {
      const name = agent.displayName.toLowerCase();
      return name.startsWith(wanted) || name.split(/\s+/).some((word) => word.startsWith(wanted));
    })
    .slice(0, MAX_SUGGESTIONS);
}

export function NoteComposer({
  conversationId,
  slashCommands,
}: {
  conversationId: string;
  /** "/" inserts a saved reply here too. */
  slashCommands?: SlashCommands;
}) {
  const { adminId } = useViewer();
  const admins = useSupportAdmins();
  const create = useCreateNote(conversationId);
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<Map<string, string>>(() => new Map());
  const textarea = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();

  const agents = useMemo(
    () => (admins.data ?? []).filter((agent) => agent.adminId !== adminId),
    [admins.data, adminId],
  );
  const mention = useTextAutocomplete<AdminSummary>({
    trigger: MENTION_QUERY,
    suggest: (query) => matchAgents(agents, query),
    onPick: (agent, range) => {
      const { text: next, caret } = replaceRange(text, range, `@${agent.displayName} `);
      setText(next);
      setPicked((current) => new Map(current).set(agent.adminId, agent.displayName));
      requestAnimationFrame(() => {
        textarea.current?.focus();
        textarea.current?.setSelectionRange(caret, caret);
      });
    },
  });
  const slash = useSlashCommands({ source: slashCommands, textarea, setText });
  // One list at a time: the text before the caret ends with "@name" or "/shortcut", not both.
  const combobox = slash.autocomplete.open ? slash.autocomplete : mention;
  const trimmed = text.trim();
  const canSend = trimmed.length > 0 && trimmed.length <= MAX_MESSAGE_LENGTH && !create.isPending;

  useEffect(() => {
    textarea.current?.focus();
  }, []);

  const onChange = (event: ChangeEvent<HTMLTextAreaElement>) => {
    const { value } = event.target;
    const caret = event.target.selectionStart ?? value.length;
    setText(value);
    mention.update(value, caret);
    if (slash.enabled) slash.autocomplete.update(value, caret);
  };

  const send = () => {
    if (!canSend) return;
    // Only the picked agents whose "@Name" is still in the text.
    const mentionAdminIds = [...picked].filter(([, name]) => trimmed.includes(`@${name}`)).map(([id]) => id);
    create.mutate(
      { body: trimmed, mentionAdminIds },
      {
        onSuccess: () => {
          setText('');
          setPicked(new Map());
        },
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mention.onKeyDown(event) || slash.autocomplete.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  // Grow with the text up to a few lines, then scroll.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the text changes
  useEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 160)}px`;
  }, [text]);

  return (
    <form onSubmit={onSubmit} className="relative border-t border-amber-300 bg-amber-50 px-3 pt-2 pb-2">
      <AutocompleteList
        autocomplete={mention}
        label="Mention an agent"
        keyOf={(agent) => agent.adminId}
        activeClassName="bg-amber-100 text-amber-950"
        renderItem={(agent) => `@${agent.displayName}`}
      />
      {slash.list}
      {slash.status}
      {create.error && (
        <p role="alert" className="mb-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {errorMessage(create.error, 'The note was not saved. Try again.')}
        </p>
      )}
      <div className="flex items-end gap-2">
        <label htmlFor={inputId} className="sr-only">
          Internal note
        </label>
        <textarea
          id={inputId}
          ref={textarea}
          rows={1}
          value={text}
          onChange={onChange}
          onKeyDown={onKeyDown}
          onBlur={() => {
            mention.close();
            slash.autocomplete.close();
          }}
          placeholder="Note for agents only…"
          {...combobox.comboboxProps}
          className="max-h-40 min-h-11 min-w-0 flex-1 resize-none rounded-2xl border border-amber-300 bg-white px-4 py-2.5 text-base text-gray-900 placeholder:text-amber-700/60 focus:border-amber-500 focus:outline-none sm:text-sm"
        />
        <button
          type="submit"
          disabled={!canSend}
          className="inline-flex h-11 shrink-0 items-center justify-center gap-1.5 rounded-full bg-amber-500 px-4 text-sm font-medium text-amber-950 hover:bg-amber-400 disabled:bg-gray-200 disabled:text-gray-400"
          aria-label="Add note"
        >
          <SendIcon className="h-4 w-4" />
          <span className="hidden sm:inline">Add note</span>
        </button>
      </div>
      <p className="px-1 pt-1 text-xs text-amber-800">
        Not sent to the user · @ mentions alert a colleague{slash.enabled ? ' · / for saved replies' : ''}
      </p>
    </form>
  );
}
