// Inline autocomplete in a textarea: a trigger typed before the caret ("@ma", "/refu") opens a
// list of suggestions under the WAI-ARIA combobox pattern (the textarea keeps the focus and points
// at the active option with aria-activedescendant). Arrow keys move, Enter or Tab picks, Escape
// closes, a click picks. Used by the admin composers: @mentions in notes, "/" saved replies.
import { type KeyboardEvent, type ReactNode, useId, useState } from 'react';

/** What the trigger matched before the caret: `start` is the trigger character's index. */
export type TriggerRange = { start: number; end: number; query: string };

type Options<T> = {
  /** Must end with `$` and capture the query in its last group, e.g. /(^|\s)@([\p{L} ]{0,40})$/u. */
  trigger: RegExp;
  /** The suggestions for a query (empty: the list stays closed). */
  suggest: (query: string) => T[];
  onPick: (item: T, range: TriggerRange) => void;
  /** Told when a trigger appears (e.g. to fetch the suggestions) and when it goes. */
  onActiveChange?: (active: boolean) => void;
};

export type TextAutocomplete<T> = {
  open: boolean;
  items: T[];
  active: number;
  range: TriggerRange | null;
  /** Call with the textarea's value and caret after every change. */
  update: (value: string, caret: number) => void;
  close: () => void;
  /** Handles the list's keys while it is open; true when the key was used (do nothing else). */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  pick: (index: number) => void;
  /** Props for the textarea (the combobox). */
  comboboxProps: {
    role: 'combobox';
    'aria-expanded': boolean;
    'aria-controls': string;
    'aria-autocomplete': 'list';
    'aria-activedescendant': string | undefined;
  };
  listId: string;
  optionId: (index: number) => string;
};

export function useTextAutocomplete<T>({ trigger, suggest, onPick, onActiveChange }: Options<T>): TextAutocomplete<T> {
  const [range, setRange] = useState<TriggerRange | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();
  const items = range ? suggest(range.query) : [];
  const open = items.length > 0;
  const activeIndex = Math.min(active, Math.max(items.length - 1, 0));

  const setRangeAndTell = (next: TriggerRange | null) => {
    if (Boolean(range) !== Boolean(next)) onActiveChange?.(next !== null);
    setRange(next);
  };

  const update = (value: string, caret: number) => {
    const match = trigger.exec(value.slice(0, caret));
    if (!match) return setRangeAndTell(null);
    const query = match[match.length - 1] ?? '';
    setRangeAndTell({ start: caret - query.length - 1, end: caret, query });
    setActive(0);
  };

  const close = () => setRangeAndTell(null);

  const pick = (index: number) => {
    const item = items[index];
    if (!item || !range) return;
    setRangeAndTell(null);
    onPick(item, range);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open || event.nativeEvent.isComposing) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (index + step + items.length) % items.length);
      return true;
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      pick(activeIndex);
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
      return true;
    }
    return false;
  };

  const optionId = (index: number) => `${listId}-${index}`;
  return {
    open,
    items,
    active: activeIndex,
    range,
    update,
    close,
    onKeyDown,
    pick,
    comboboxProps: {
      role: 'combobox',
      'aria-expanded': open,
      'aria-controls': listId,
      'aria-autocomplete': 'list',
      'aria-activedescendant': open ? optionId(activeIndex) : undefined,
    },
    listId,
    optionId,
  };
}

/** The open list above the textarea; `renderItem` draws one option's content. */
export function AutocompleteList<T>({
  autocomplete,
  label,
  renderItem,
  keyOf,
  activeClassName,
  className = 'w-64',
}: {
  autocomplete: TextAutocomplete<T>;
  label: string;
  renderItem: (item: T) => ReactNode;
  keyOf: (item: T) => string;
  /** Colours of the active option (the composer's own: brand for replies, amber for notes). */
  activeClassName: string;
  className?: string;
}) {
  if (!autocomplete.open) return null;
  return (
    <div
      id={autocomplete.listId}
      role="listbox"
      aria-label={label}
      className={`absolute bottom-full left-3 z-10 mb-1 max-h-72 max-w-[calc(100%-1.5rem)] overflow-y-auto rounded-lg border border-gray-200 bg-white py-1 shadow-lg ${className}`}
    >
      {autocomplete.items.map((item, index) => (
        <div
          key={keyOf(item)}
          id={autocomplete.optionId(index)}
          role="option"
          tabIndex={-1}
          aria-selected={index === autocomplete.active}
          // Keep the textarea's focus: pick on mouse down.
          onMouseDown={(event) => {
            event.preventDefault();
            autocomplete.pick(index);
          }}
          className={`flex min-h-11 cursor-pointer items-center px-3 text-sm ${
            index === autocomplete.active ? activeClassName : 'text-gray-800 hover:bg-gray-50'
          }`}
        >
          {renderItem(item)}
        </div>
      ))}
    </div>
  );
}

/** Replaces the trigger and its query in `text` with `inserted`; returns the text and the caret after it. */
export function replaceRange(text: string, range: TriggerRange, inserted: string): { text: string; caret: number } {
  const before = text.slice(0, range.start);
  const after = text.slice(range.end);
  return { text: before + inserted + after, caret: before.length + inserted.length };
}
