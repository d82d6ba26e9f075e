// The admin composer's two modes: "Reply" (the normal composer: the user receives it) and "Note"
// (an internal note, amber, only agents see it). The mode is per conversation panel.
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { SlashCommands } from '../../chat/slash-commands';
import { useShortcutCommand } from '../support-chat/shortcuts';
import { NoteComposer } from './NoteComposer';

type Mode = 'reply' | 'note';

export function ComposerModes({
  conversationId,
  reply,
  slashCommands,
}: {
  conversationId: string;
  reply: ReactNode;
  /** Saved replies for the note composer ("/" works in both modes). */
  slashCommands?: SlashCommands;
}) {
  const [mode, setMode] = useState<Mode>('reply');
  const root = useRef<HTMLDivElement>(null);
  // Shortcuts: r writes in the composer; n switches Reply / Note and writes there.
  const [focusWanted, setFocusWanted] = useState(0);
  useShortcutCommand('focusComposer', () => setFocusWanted((count) => count + 1));
  useShortcutCommand('toggleNote', () => {
    setMode((current) => (current === 'note' ? 'reply' : 'note'));
    setFocusWanted((count) => count + 1);
  });
  useEffect(() => {
    if (focusWanted > 0) root.current?.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  }, [focusWanted]);
  const tab = (value: Mode, label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={mode === value}
      onClick={() => setMode(value)}
      className={`min-h-9 rounded-md px-3 text-sm font-medium ${
        mode === value
          ? value === 'note'
            ? 'bg-amber-100 text-amber-900'
            : 'bg-brand-50 text-brand-700'
          : 'text-gray-600 hover:bg-gray-100'
      }`}
    >
      {label}
    </button>
  );
  return (
    <div ref={root}>
      <div
        role="tablist"
        aria-label="Write a reply or an internal note"
        className={`flex gap-1 border-t px-3 pt-1.5 ${mode === 'note' ? 'border-amber-300 bg-amber-50' : 'border-gray-200 bg-white'}`}
      >
        {tab('reply', 'Reply')}
        {tab('note', 'Note')}
      </div>
      {mode === 'reply' ? reply : <NoteComposer conversationId={conversationId} slashCommands={slashCommands} />}
    </div>
  );
}
