// The composer's "/" picker of saved replies: opens on "/" at the start or after a space, filters
// by shortcut and title, is a combobox with a listbox (aria-activedescendant follows the arrow
// keys), inserts the text the server rendered for the conversation in place of "/query", closes
// on Escape; the user apps' composer (no source) has none of it. Also in the note composer.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../../common/auth';
import type { SavedReplyDto } from '../../../../common/saved-replies';
import { AuthTestProvider } from '../../auth/AuthProvider';
import { Composer } from '../../chat/Composer';
import { mockApi } from '../../test/fetch-mock';
import { CONVERSATION_ID, uuid } from '../../test/fixtures';
import { NoteComposer } from '../notes/NoteComposer';
import { filterSavedReplies, useSavedReplyCommands } from './saved-replies';

const reply = (shortcut: string, title: string, body: string): SavedReplyDto => ({
  id: uuid(),
  shortcut,
  title,
  body,
  createdByName: 'Marcus Lee',
  createdAt: '2026-11-28T09:00:00.000Z',
  updatedAt: '2026-11-28T09:00:00.000Z',
});
const refund = reply('refund-late', 'Late order refund', 'Hi {{user.firstName}}, sorry about {{order.number}}.');
const greeting = reply('greeting', 'Hello', 'Hello {{user.name}}!');
const tablet = reply('tablet-reset', 'Restart the tablet', 'Please restart it.');
const REPLIES = [greeting, refund, tablet];
const base = '/api/admin/support/saved-replies';

const me: Me = { kind: 'admin', userId: uuid(), adminId: uuid(), permissions: ['SUPPORT_CHAT'], displayName: 'Sofia' };

function wrap(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <AuthTestProvider value={{ session: null, me }}>{children}</AuthTestProvider>
    </QueryClientProvider>,
  );
}

function ReplyComposer({ onSend }: { onSend: (body: string) => void }) {
  const commands = useSavedReplyCommands(CONVERSATION_ID);
  return <Composer onSend={onSend} slashCommands={commands} />;
}

function NoteWithReplies() {
  const commands = useSavedReplyCommands(CONVERSATION_ID);
  return <NoteComposer conversationId={CONVERSATION_ID} slashCommands={commands} />;
}

afterEach(() => vi.unstubAllGlobals());

describe('saved reply picker', () => {
  it('filters by shortcut and title, moves with the arrow keys and inserts the rendered text', async () => {
    const calls = mockApi({
      [base]: { status: 200, body: { items: REPLIES } },
      [`${base}/${refund.id}/render`]: { status: 200, body: { text: 'Hi Emma, sorry about #4821.', missing: [] } },
    });
    const onSend = vi.fn();
    wrap(<ReplyComposer onSend={onSend} />);
    const box = screen.getByRole('combobox', { name: 'Message' });
    expect(box).toHaveAttribute('aria-expanded', 'false');
    // Nothing is fetched before "/" is typed.
    expect(calls).toHaveLength(0);

    await userEvent.type(box, 'Thanks. /');
    const list = await screen.findByRole('listbox', { name: 'Saved replies' });
    expect(list).toBeInTheDocument();
    expect(calls.map((call) => call.url)).toEqual([base]);
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual([
      expect.stringContaining('/greeting'),
      expect.stringContaining('/refund-late'),
      expect.stringContaining('/tablet-reset'),
    ]);

    // A shortcut that starts with the query comes first, then those that contain it.
    await userEvent.type(box, 'r');
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual([
      expect.stringContaining('/refund-late'),
      expect.stringContaining('/greeting'),
      expect.stringContaining('/tablet-reset'),
    ]);
    expect(box).toHaveAttribute('aria-expanded', 'true');
    const [first, second] = screen.getAllByRole('option');
    expect(box).toHaveAttribute('aria-activedescendant', first?.id);
    expect(first).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-activedescendant', second?.id);
    await userEvent.keyboard('{ArrowUp}');
    expect(box).toHaveAttribute('aria-activedescendant', first?.id);

    // Enter picks (it does not send): "/r" becomes the text rendered for this conversation.
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(box).toHaveValue('Thanks. Hi Emma, sorry about #4821.'));
    expect(onSend).not.toHaveBeenCalled();
    expect(calls.at(-1)).toMatchObject({ url: `${base}/${refund.id}/render`, method: 'POST' });
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await userEvent.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('Thanks. Hi Emma, sorry about #4821.');
  });

  it('closes on Escape, opens only at a word start, and picks on click; the list is fetched again on each opening', async () => {
    const calls = mockApi({
      [base]: { status: 200, body: { items: REPLIES } },
      [`${base}/${greeting.id}/render`]: { status: 200, body: { text: 'Hello Emma Wilson!', missing: [] } },
    });
    wrap(<ReplyComposer onSend={vi.fn()} />);
    const box = screen.getByRole('combobox', { name: 'Message' });
    await userEvent.type(box, '/gr');
    await screen.findByRole('listbox', { name: 'Saved replies' });
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(box).toHaveValue('/gr');

    await userEvent.clear(box);
    await userEvent.type(box, 'and/or');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();

    await userEvent.type(box, ' /');
    await screen.findByRole('listbox', { name: 'Saved replies' });
    await waitFor(() => expect(calls.filter((call) => call.url === base)).toHaveLength(2));
    await userEvent.click(screen.getByRole('option', { name: /\/greeting/ }));
    await waitFor(() => expect(box).toHaveValue('and/or Hello Emma Wilson!'));
  });

  it("shows the server's refusal when a reply cannot be rendered", async () => {
    mockApi({
      [base]: { status: 200, body: { items: REPLIES } },
      [`${base}/${tablet.id}/render`]: {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'Saved reply not found.' } },
      },
    });
    wrap(<ReplyComposer onSend={vi.fn()} />);
    const box = screen.getByRole('combobox', { name: 'Message' });
    await userEvent.type(box, '/tablet');
    await screen.findByRole('option', { name: /\/tablet-reset/ });
    await userEvent.keyboard('{Tab}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Saved reply not found.');
    expect(box).toHaveValue('/tablet');
  });

  it('works in the note composer beside @mentions', async () => {
    mockApi({
      '/api/admin/support/admins': { status: 200, body: [] },
      [base]: { status: 200, body: { items: REPLIES } },
      [`${base}/${tablet.id}/render`]: { status: 200, body: { text: 'Please restart it.', missing: [] } },
    });
    wrap(<NoteWithReplies />);
    const box = screen.getByRole('combobox', { name: 'Internal note' });
    await userEvent.type(box, 'Told them: /tab');
    expect(await screen.findByRole('listbox', { name: 'Saved replies' })).toBeInTheDocument();
    expect(box).toHaveAttribute('aria-activedescendant', screen.getByRole('option').id);
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(box).toHaveValue('Told them: Please restart it.'));
  });

  it('is absent from a composer without saved replies (the user apps)', async () => {
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    render(<Composer onSend={vi.fn()} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(box, '/refund');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('ranks shortcut prefixes before other matches', () => {
    expect(filterSavedReplies(REPLIES, 'RE').map((item) => item.shortcut)).toEqual([
      'refund-late',
      'greeting',
      'tablet-reset',
    ]);
    // Titles count too.
    expect(filterSavedReplies(REPLIES, 'order').map((item) => item.shortcut)).toEqual(['refund-late']);
    expect(filterSavedReplies(REPLIES, 'hello').map((item) => item.shortcut)).toEqual(['greeting']);
    expect(filterSavedReplies(REPLIES, '')).toHaveLength(3);
  });
});
