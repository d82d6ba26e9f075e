// "/" in a composer: typing "/" at the start or after a space opens a list of prepared texts
// (saved replies) filtered by what follows; picking one replaces "/query" with its text, which the
// source resolves (e.g. rendered for the conversation by the server). The composer stays generic:
// the source comes from its caller, and a composer without one has no "/" list (the user apps).
import { type RefObject, useState } from 'react';
import { errorMessage } from '../api/api-error';
import { AutocompleteList, replaceRange, type TriggerRange, useTextAutocomplete } from './text-autocomplete';

export type SlashCommand = { id: string; shortcut: string; title: string; preview: string };

export type SlashCommands = {
  /** The list's accessible name, e.g. "Saved replies". */
  label: string;
  suggest: (query: string) => SlashCommand[];
  /** Told when "/" appears or goes (the source fetches its list when it appears). */
  onActiveChange: (active: boolean) => void;
  /** The text to insert for a picked command. */
  resolve: (id: string) => Promise<string>;
};

/** "/" at the start or after whitespace, then a shortcut or a word of a title, before the caret. */
const SLASH_QUERY = /(^|\s)\/([\p{L}\p{N}-]{0,40})$/u;

const NONE: SlashCommands = { label: '', suggest: () => [], onActiveChange: () => {}, resolve: async () => '' };

export function useSlashCommands({
  source,
  textarea,
  setText,
}: {
  source: SlashCommands | undefined;
  textarea: RefObject<HTMLTextAreaElement | null>;
  /** The composer's text setter. */
  setText: (text: string) => void;
}) {
  const commands = source ?? NONE;
  const [error, setError] = useState<string | null>(null);
  const [inserting, setInserting] = useState<string | null>(null);

  const insert = async (command: SlashCommand, range: TriggerRange) => {
    setError(null);
    setInserting(command.shortcut);
    try {
      const text = await commands.resolve(command.id);
      const typed = `/${range.query}`;
      // The textarea is controlled: its value is the composer's text now.
      const current = textarea.current?.value ?? '';
      // The "/query" is normally still where it was; if the agent edited meanwhile, append.
      const result =
        current.slice(range.start, range.end) === typed
          ? replaceRange(current, range, text)
          : { text: current ? `${current} ${text}` : text, caret: (current ? current.length + 1 : 0) + text.length };
      setText(result.text);
      const { caret } = result;
      requestAnimationFrame(() => {
        textarea.current?.focus();
        textarea.current?.setSelectionRange(caret, caret);
      });
    } catch (failure) {
      setError(errorMessage(failure, `/${command.shortcut} could not be inserted. Try again.`));
    } finally {
      setInserting(null);
    }
  };

  const autocomplete = useTextAutocomplete<SlashCommand>({
    trigger: SLASH_QUERY,
    suggest: commands.suggest,
    onPick: (command, range) => void insert(command, range),
    onActiveChange: commands.onActiveChange,
  });

  const list = source ? (
    <AutocompleteList
      autocomplete={autocomplete}
      label={commands.label}
      keyOf={(command) => command.id}
      className="w-96"
      activeClassName="bg-brand-50 text-gray-900"
      renderItem={(command) => (
        <span className="min-w-0 py-1.5">
          <span className="flex items-baseline gap-2">
            <span className="font-mono text-xs font-medium text-brand-700">/{command.shortcut}</span>
            <span className="truncate font-medium">{command.title}</span>
          </span>
          <span className="block truncate text-xs text-gray-600">{command.preview}</span>
        </span>
      )}
    />
  ) : null;

  const status = inserting ? (
    <p role="status" className="mb-2 px-1 text-xs text-gray-500">
      Inserting /{inserting}…
    </p>
  ) : error ? (
    <p role="alert" className="mb-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
      {error}
    </p>
  ) : null;

  return { autocomplete, list, status, enabled: Boolean(source) };
}
