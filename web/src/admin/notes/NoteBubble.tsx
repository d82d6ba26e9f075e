// An internal note in the admin chat: full width, amber, labelled "Internal note" with its author,
// so it can never be mistaken for a message the user sees. Mentions of agents are highlighted.
import type { ReactNode } from 'react';
import type { NoteDto } from '../../../../common/notes';
import { formatDateTime, formatTime } from '../../chat/format';
import { LockIcon } from '../../ui/icons';

/** The body with each "@Name" of a mentioned agent highlighted (text only, never HTML). */
export function highlightMentions(body: string, names: readonly string[]): ReactNode[] {
  const tokens = names.filter(Boolean).map((name) => `@${name}`);
  if (tokens.length === 0) return [body];
  const parts: ReactNode[] = [];
  let rest = body;
  let key = 0;
  for (;;) {
    let at = -1;
    let token = '';
    for (const candidate of tokens) {
      const index = rest.indexOf(candidate);
      if (index !== -1 && (at === -1 || index < at)) {
        at = index;
        token = candidate;
      }
    }
    if (at === -1) break;
    if (at > 0) parts.push(rest.slice(0, at));
    parts.push(
      <span key={key++} className="rounded bg-amber-200/70 px-0.5 font-medium text-amber-950">
        {token}
      </span>,
    );
    rest = rest.slice(at + token.length);
  }
  if (rest) parts.push(rest);
  return parts;
}

export function NoteBubble({ note, viewerAdminId }: { note: NoteDto; viewerAdminId: string | null }) {
  const author = note.authorAdminId && note.authorAdminId === viewerAdminId ? 'You' : (note.authorName ?? 'An agent');
  const names = note.mentions.map((mention) => mention.displayName);
  return (
    <article
      aria-label={`Internal note by ${author}`}
      data-testid="note-bubble"
      className="mx-auto w-full max-w-2xl rounded-xl border border-amber-300 bg-amber-50 px-3.5 py-2 text-sm text-amber-950 shadow-sm"
    >
      <header className="mb-1 flex flex-wrap items-center gap-x-1.5 text-xs text-amber-800">
        <LockIcon className="h-3.5 w-3.5" aria-hidden="true" />
        <span className="font-semibold uppercase tracking-wide">Internal note</span>
        <span aria-hidden="true">·</span>
        <span className="font-medium">{author}</span>
        <span aria-hidden="true">·</span>
        <time dateTime={note.createdAt} title={formatDateTime(note.createdAt)}>
          {formatTime(note.createdAt)}
        </time>
        <span className="ml-auto hidden text-amber-700 sm:inline">Only agents see this</span>
      </header>
      <p className="whitespace-pre-wrap break-words [overflow-wrap:anywhere]">{highlightMentions(note.body, names)}</p>
    </article>
  );
}
