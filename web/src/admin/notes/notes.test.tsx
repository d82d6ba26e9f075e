import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../../common/auth';
import type { NoteDto } from '../../../../common/notes';
import { AuthTestProvider } from '../../auth/AuthProvider';
import { ChatThread } from '../../chat/ChatThread';
import { mockFetch } from '../../test/fetch-mock';
import { CONVERSATION_ID, makeMessage, uuid } from '../../test/fixtures';
import { NoteBubble } from './NoteBubble';
import { matchAgents, NoteComposer } from './NoteComposer';

const sofia: Me = {
  kind: 'admin',
  userId: uuid(),
  adminId: uuid(),
  permissions: ['SUPPORT_CHAT'],
  displayName: 'Sofia Reyes',
};
const marcus = { adminId: uuid(), displayName: 'Marcus Lee' };
const agents = [
  { adminId: sofia.adminId, displayName: 'Sofia Reyes' },
  marcus,
  { adminId: uuid(), displayName: 'Maria Silva' },
];

function renderWithAdmin(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuthTestProvider value={{ session: null, me: sofia }}>{children}</AuthTestProvider>
    </QueryClientProvider>,
  );
}

const note = (overrides: Partial<NoteDto> = {}): NoteDto => ({
  id: uuid(),
  conversationId: CONVERSATION_ID,
  seq: 1,
  authorAdminId: marcus.adminId,
  authorName: 'Marcus Lee',
  body: 'Refund approved @Sofia Reyes',
  mentions: [{ adminId: sofia.adminId, displayName: 'Sofia Reyes' }],
  clientNoteId: null,
  createdAt: '2025-03-10T10:01:00.000Z',
  ...overrides,
});

afterEach(() => vi.unstubAllGlobals());

describe('NoteComposer', () => {
  it('autocompletes @ with other agents and sends the picked ids', async () => {
    const calls = mockFetch({ status: 200, body: agents }, { status: 201, body: note() });
    renderWithAdmin(<NoteComposer conversationId={CONVERSATION_ID} />);
    const box = screen.getByRole('combobox', { name: 'Internal note' });
    await waitFor(() => expect(calls).toHaveLength(1));
    await userEvent.type(box, 'Please check @ma');
    // Both "Ma…" agents; never the writer herself.
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['@Marcus Lee', '@Maria Silva']);
    await userEvent.keyboard('{Enter}');
    expect(box).toHaveValue('Please check @Marcus Lee ');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await userEvent.type(box, 'now{Enter}');
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({
      url: `/api/admin/support/conversations/${CONVERSATION_ID}/notes`,
      method: 'POST',
      body: { body: 'Please check @Marcus Lee now', mentionAdminIds: [marcus.adminId] },
    });
    await waitFor(() => expect(box).toHaveValue(''));
  });

  it('does not mention an agent whose name was deleted before sending', async () => {
    const calls = mockFetch({ status: 200, body: agents }, { status: 201, body: note() });
    renderWithAdmin(<NoteComposer conversationId={CONVERSATION_ID} />);
    const box = screen.getByRole('combobox', { name: 'Internal note' });
    await waitFor(() => expect(calls).toHaveLength(1));
    await userEvent.type(box, '@mar');
    await userEvent.click(screen.getByRole('option', { name: '@Marcus Lee' }));
    await userEvent.clear(box);
    await userEvent.type(box, 'Never mind{Enter}');
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]?.body).toMatchObject({ body: 'Never mind', mentionAdminIds: [] });
  });

  it('matches agents by the start of any word of their name', () => {
    expect(matchAgents(agents, 'lee').map((agent) => agent.displayName)).toEqual(['Marcus Lee']);
    expect(matchAgents(agents, 'x')).toEqual([]);
  });
});

describe('notes in the thread', () => {
  it('shows a note between the messages by time, labelled and highlighted', () => {
    const items = [note()].map((n) => ({
      id: n.id,
      createdAt: n.createdAt,
      own: false,
      node: <NoteBubble note={n} viewerAdminId={sofia.adminId} />,
    }));
    renderWithAdmin(
      <ChatThread
        messages={[
          makeMessage({ body: 'First', createdAt: '2025-03-10T10:00:00.000Z', seq: 1 }),
          makeMessage({ body: 'Second', createdAt: '2025-03-10T10:02:00.000Z', seq: 2 }),
        ]}
        viewerSide="admin"
        interleaved={items}
      />,
    );
    const log = screen.getByRole('log');
    const text = log.textContent ?? '';
    expect(text.indexOf('First')).toBeLessThan(text.indexOf('Refund approved'));
    expect(text.indexOf('Refund approved')).toBeLessThan(text.indexOf('Second'));
    const bubble = screen.getByRole('article', { name: 'Internal note by Marcus Lee' });
    expect(bubble).toHaveTextContent('Internal note');
    expect(screen.getByText('@Sofia Reyes')).toHaveClass('font-medium');
  });
});
