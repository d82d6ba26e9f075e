// Where an inbox search found its words: the matching message's or internal note's snippet with
// the matched words marked. The snippet is user input: it is rendered as text nodes, and the
// server's highlight offsets only decide which slices go inside <mark>; no HTML is ever parsed.
import type { SearchMatch } from '../../../common/support';

/** The snippet cut into plain and marked slices (overlapping or out-of-range offsets are ignored). */
export function snippetParts(match: Pick<SearchMatch, 'snippet' | 'highlights'>): { text: string; marked: boolean }[] {
  const parts: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const [start, end] of [...match.highlights].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start || end > match.snippet.length) continue;
    if (start > at) parts.push({ text: match.snippet.slice(at, start), marked: false });
    parts.push({ text: match.snippet.slice(start, end), marked: true });
    at = end;
  }
  if (at < match.snippet.length) parts.push({ text: match.snippet.slice(at), marked: false });
  return parts;
}

const SOURCE_LABELS = { user: 'User', admin: 'Support' } as const;

export function SearchSnippet({ match, className = '' }: { match: SearchMatch; className?: string }) {
  const note = match.kind === 'note';
  return (
    <span
      data-testid="search-snippet"
      className={`${className} line-clamp-2 min-w-0 rounded px-1.5 py-1 text-xs leading-snug ${
        note ? 'bg-amber-50 text-amber-950' : 'bg-gray-50 text-gray-700'
      }`}
    >
      <span className={`font-semibold ${note ? 'text-amber-800' : 'text-gray-500'}`}>
        {note ? 'Internal note:' : `${SOURCE_LABELS[match.senderType ?? 'user']}:`}
      </span>{' '}
      {snippetParts(match).map((part, index) =>
        part.marked ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order
          <mark key={index} className="rounded-sm bg-yellow-200 px-0.5 font-medium text-gray-900">
            {part.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above
          <span key={index}>{part.text}</span>
        ),
      )}
    </span>
  );
}
