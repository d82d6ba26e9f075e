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
import { SendIcon } from '../../ui/icons';
import { useCreateNote } from './notes';

/** "@" at the start or after a space, then up to 40 name characters before the caret. */
const MENTION_QUERY = /(^|\s)@([\p{L}\p{N}'. -]{0,40})$/u;
const MAX_SUGGESTIONS = 6;

type Suggesting = { start: number; query: string };

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

export function NoteComposer({ conversationId }: { conversationId: string }) {
  const { adminId } = useViewer();
  const admins = useSupportAdmins();
  const create = useCreateNote(conversationId);
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<Map<string, string>>(() => new Map());
  const [suggesting, setSuggesting] = useState<Suggesting | null>(null);
  const [active, setActive] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();
  const listId = useId();

  const agents = useMemo(
    () => (admins.data ?? []).filter((agent) => agent.adminId !== adminId),
    [admins.data, adminId],
  );
  const suggestions = suggesting ? matchAgents(agents, suggesting.query) : [];
  const open = suggestions.length > 0;
  const trimmed = text.trim();
  const canSend = trimmed.length > 0 && trimmed.length <= MAX_MESSAGE_LENGTH && !create.isPending;

  useEffect(() => {
    textarea.current?.focus();
  }, []);

  const findQuery = (value: string, caret: number) => {
    const match = MENTION_QUERY.exec(value.slice(0, caret));
    if (!match) return setSuggesting(null);
    const query = match[2] ?? '';
    setSuggesting({ start: caret - query.length - 1, query });
    setActive(0);
  };

  const onChange = (event: ChangeEvent<HTMLTextAreaElement>) => {
    setText(event.target.value);
    findQuery(event.target.value, event.target.selectionStart ?? event.target.value.length);
  };

  const pick = (agent: AdminSummary) => {
    if (!suggesting) return;
    const before = text.slice(0, suggesting.start);
    const after = text.slice(suggesting.start + 1 + suggesting.query.length);
    const inserted = `@${agent.displayName} `;
    setText(before + inserted + after);
    setPicked((current) => new Map(current).set(agent.adminId, agent.displayName));
    setSuggesting(null);
    const caret = before.length + inserted.length;
    requestAnimationFrame(() => {
      textarea.current?.focus();
      textarea.current?.setSelectionRange(caret, caret);
    });
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
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((index) => (index + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const agent = suggestions[active];
        if (agent) pick(agent);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setSuggesting(null);
        return;
      }
    }
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
      {open && (
        <div
          id={listId}
          role="listbox"
          aria-label="Mention an agent"
          className="absolute bottom-full left-3 z-10 mb-1 w-64 max-w-[calc(100%-1.5rem)] overflow-hidden rounded-lg border border-gray-200 bg-white py-1 shadow-lg"
        >
          {suggestions.map((agent, index) => (
            <div
              key={agent.adminId}
              id={`${listId}-${index}`}
              role="option"
              tabIndex={-1}
              aria-selected={index === active}
              // Keep the textarea's focus: pick on mouse down.
              onMouseDown={(event) => {
                event.preventDefault();
                pick(agent);
              }}
              className={`flex min-h-11 cursor-pointer items-center px-3 text-sm ${
                index === active ? 'bg-amber-100 text-amber-950' : 'text-gray-800 hover:bg-gray-50'
              }`}
            >
              @{agent.displayName}
            </div>
          ))}
        </div>
      )}
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
          onBlur={() => setSuggesting(null)}
          placeholder="Note for agents only…"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
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
      <p className="px-1 pt-1 text-xs text-amber-800">Not sent to the user · @ mentions alert a colleague</p>
    </form>
  );
}
