// The admin composer's two modes: "Reply" (the normal composer: the user receives it) and "Note"
// (an internal note, amber, only agents see it). The mode is per conversation panel.
import { type ReactNode, useState } from 'react';
import type { SlashCommands } from '../../chat/slash-commands';
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
    <div>
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
