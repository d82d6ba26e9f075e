// Inbox search snippets: the matched words are marked, the text is never parsed as HTML, opening
// a result scrolls to the matched message, and a live update keeps a search result's place and match.
import type { InfiniteData } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ConversationDto, ConversationPage } from '../../../common/support';
import { makeConversation, makeMessage } from '../test/fixtures';
import { ChatThread } from './ChatThread';
import { ConversationList } from './ConversationList';
import { flattenConversations, upsertConversation } from './cache';
import { SearchSnippet, snippetParts } from './SearchSnippet';

const HOSTILE = 'I want a <img src=x onerror="window.hacked=1"> refund <b>now</b> &amp; refund';
const hostileMatch = (snippet = HOSTILE) => ({
  kind: 'message' as const,
  id: '00000000-0000-4000-8000-000000000042',
  senderType: 'user' as const,
  createdAt: '2025-03-10T11:00:00.000Z',
  snippet,
  highlights: [
    [snippet.indexOf('refund'), snippet.indexOf('refund') + 6],
    [snippet.lastIndexOf('refund'), snippet.lastIndexOf('refund') + 6],
  ] as [number, number][],
});

describe('SearchSnippet', () => {
  it('marks the matched words and renders everything else as plain text (no HTML injection)', () => {
    const { container } = render(<SearchSnippet match={hostileMatch()} />);
    const snippet = screen.getByTestId('search-snippet');
    expect(snippet).toHaveTextContent(`User: ${HOSTILE}`, { normalizeWhitespace: false });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect((window as { hacked?: number }).hacked).toBeUndefined();
    const marks = Array.from(container.querySelectorAll('mark')).map((mark) => mark.textContent);
    expect(marks).toEqual(['refund', 'refund']);
  });

  it('labels a note and ignores offsets that overlap or fall outside the text', () => {
    render(
      <SearchSnippet
        match={{
          ...hostileMatch('escalated to chargeback'),
          kind: 'note',
          senderType: null,
          highlights: [
            [13, 23],
            [15, 18],
            [20, 99],
          ],
        }}
      />,
    );
    const snippet = screen.getByTestId('search-snippet');
    expect(snippet).toHaveTextContent('Internal note: escalated to chargeback');
    expect(within(snippet).getAllByText('chargeback')[0]?.tagName).toBe('MARK');
    expect(snippetParts({ snippet: 'abc', highlights: [[0, 1]] })).toEqual([
      { text: 'a', marked: true },
      { text: 'bc', marked: false },
    ]);
  });

  it('shows the snippet under a search result in the inbox list', () => {
    const found = makeConversation({ match: hostileMatch() });
    const other = makeConversation();
    render(<ConversationList conversations={[found, other]} viewer="admin" onSelect={() => {}} />);
    const [first, second] = within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('button') as [
      HTMLElement,
      HTMLElement,
    ];
    expect(within(first).getByTestId('search-snippet')).toHaveTextContent('onerror');
    expect(within(second).queryByTestId('search-snippet')).toBeNull();
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });

  it('opening a search result scrolls the thread to the matched message and highlights it', () => {
    const scrolled = vi.fn();
    const original = HTMLElement.prototype.scrollIntoView;
    HTMLElement.prototype.scrollIntoView = scrolled;
    try {
      const matched = makeMessage({ body: 'the refund for the blender', createdAt: '2025-03-10T09:00:00.000Z' });
      const later = makeMessage({ body: 'anything else?', createdAt: '2025-03-10T09:05:00.000Z' });
      const { rerender } = render(<ChatThread messages={[later]} viewerSide="admin" focusId={matched.id} />);
      expect(scrolled).not.toHaveBeenCalled(); // not loaded yet: nothing to scroll to
      rerender(<ChatThread messages={[matched, later]} viewerSide="admin" focusId={matched.id} />);
      expect(scrolled).toHaveBeenCalledTimes(1);
      const entry = screen.getByText('the refund for the blender').closest('[data-entry-id]');
      expect(entry).toHaveAttribute('data-entry-id', matched.id);
      expect(entry).toHaveAttribute('data-highlighted', 'true');
      rerender(<ChatThread messages={[matched, later]} viewerSide="admin" focusId={matched.id} />);
      expect(scrolled).toHaveBeenCalledTimes(1); // once: the agent may scroll away
    } finally {
      HTMLElement.prototype.scrollIntoView = original;
    }
  });

  it('keeps a search result in place, with its match, when a live update arrives', () => {
    const a = makeConversation({ match: hostileMatch(), lastMessageAt: '2025-03-10T09:00:00.000Z' });
    const b = makeConversation({ lastMessageAt: '2025-03-10T10:00:00.000Z' });
    const data: InfiniteData<ConversationPage, unknown> = {
      pages: [{ items: [a, b], nextCursor: null }],
      pageParams: [null],
    };
    const update: ConversationDto = {
      ...a,
      match: undefined,
      unreadCount: 4,
      lastMessageAt: '2025-03-10T12:00:00.000Z',
      updatedAt: '2025-03-10T12:00:00.000Z',
    };
    const result = flattenConversations(
      upsertConversation(data, update, { matches: true, mayInsert: false, searchResults: true }),
    );
    expect(result.map((item) => item.id)).toEqual([a.id, b.id]);
    expect(result[0]?.unreadCount).toBe(4);
    expect(result[0]?.match?.snippet).toBe(HOSTILE);
  });
});
