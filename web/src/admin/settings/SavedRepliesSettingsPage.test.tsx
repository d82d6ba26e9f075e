import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SavedReplyDto } from '../../../../common/saved-replies';
import { mockFetch } from '../../test/fetch-mock';
import { uuid } from '../../test/fixtures';
import { SavedRepliesSettingsPage } from './SavedRepliesSettingsPage';

const base = '/api/admin/support/saved-replies';
const refund: SavedReplyDto = {
  id: uuid(),
  shortcut: 'refund-late',
  title: 'Late order refund',
  body: 'Hi {{user.firstName}}, sorry about {{order.number}}.',
  createdByName: 'Marcus Lee',
  createdAt: '2026-11-28T09:00:00.000Z',
  updatedAt: '2026-11-28T09:00:00.000Z',
};

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <SavedRepliesSettingsPage />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('SavedRepliesSettingsPage', () => {
  it('explains invalid fields and unknown variables before saving, then creates the reply', async () => {
    const created = { ...refund, id: uuid(), shortcut: 'tablet-reset', title: 'Restart', body: 'Hi {{user.name}}' };
    const calls = mockFetch(
      { status: 200, body: { items: [refund] } },
      { status: 201, body: created },
      { status: 200, body: { items: [refund, created] } },
    );
    renderPage();
    const list = await screen.findByRole('list', { name: 'Saved replies' });
    expect(within(list).getByRole('listitem')).toHaveTextContent('/refund-late');

    await userEvent.click(screen.getByRole('button', { name: 'New saved reply' }));
    const form = screen.getByRole('form', { name: 'New saved reply' });
    await userEvent.click(within(form).getByRole('button', { name: 'Create saved reply' }));
    expect(within(form).getByLabelText('Shortcut')).toHaveAccessibleDescription(/at least 2 characters/);
    expect(within(form).getByLabelText('Shortcut')).toHaveFocus();
    expect(within(form).getByLabelText('Title')).toHaveAccessibleDescription('Enter a title.');

    await userEvent.type(within(form).getByLabelText('Shortcut'), 'Tablet Reset');
    await userEvent.type(within(form).getByLabelText('Title'), 'Restart');
    await userEvent.type(within(form).getByLabelText('Reply'), 'Hi {{{{user.phone}}');
    await userEvent.click(within(form).getByRole('button', { name: 'Create saved reply' }));
    expect(within(form).getByLabelText('Shortcut')).toHaveAccessibleDescription(/letters, digits and hyphens only/i);
    expect(within(form).getByLabelText('Reply')).toHaveAccessibleDescription(/Unknown variable: \{\{user\.phone\}\}/);
    expect(calls).toHaveLength(1);

    await userEvent.clear(within(form).getByLabelText('Shortcut'));
    await userEvent.type(within(form).getByLabelText('Shortcut'), 'Tablet-Reset');
    await userEvent.clear(within(form).getByLabelText('Reply'));
    await userEvent.type(within(form).getByLabelText('Reply'), 'Hi ');
    await userEvent.click(within(form).getByRole('button', { name: /Insert \{\{user\.name\}\}/ }));
    await waitFor(() => expect(within(form).getByLabelText('Reply')).toHaveValue('Hi {{user.name}}'));
    await userEvent.click(within(form).getByRole('button', { name: 'Create saved reply' }));
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[1]).toMatchObject({
      url: base,
      method: 'POST',
      body: { shortcut: 'tablet-reset', title: 'Restart', body: 'Hi {{user.name}}' },
    });
    expect(await screen.findByText('Saved /tablet-reset.')).toBeInTheDocument();
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
  });

  it("shows the server's answer for a taken shortcut next to the field", async () => {
    mockFetch(
      { status: 200, body: { items: [refund] } },
      {
        status: 409,
        body: {
          error: {
            code: 'SAVED_REPLY_SHORTCUT_TAKEN',
            message: 'Another saved reply already uses /refund-late.',
            details: { fieldErrors: { shortcut: ['Another saved reply already uses this shortcut.'] } },
          },
        },
      },
      { status: 200, body: { items: [refund] } },
    );
    renderPage();
    await screen.findByRole('list', { name: 'Saved replies' });
    await userEvent.click(screen.getByRole('button', { name: 'Edit /refund-late' }));
    const form = screen.getByRole('form', { name: 'Edit /refund-late' });
    expect(within(form).getByLabelText('Title')).toHaveValue('Late order refund');
    await userEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(within(form).getByLabelText('Shortcut')).toHaveAccessibleDescription(/already uses this shortcut/),
    );
  });

  it('deletes only after the confirmation', async () => {
    const calls = mockFetch(
      { status: 200, body: { items: [refund] } },
      { status: 200, body: null },
      { status: 200, body: { items: [] } },
    );
    renderPage();
    await screen.findByRole('list', { name: 'Saved replies' });
    await userEvent.click(screen.getByRole('button', { name: 'Delete /refund-late' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete /refund-late?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(calls).toHaveLength(1);

    await userEvent.click(screen.getByRole('button', { name: 'Delete /refund-late' }));
    await userEvent.click(
      within(screen.getByRole('alertdialog', { name: 'Delete /refund-late?' })).getByRole('button', {
        name: 'Delete',
      }),
    );
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[1]).toMatchObject({ url: `${base}/${refund.id}`, method: 'DELETE' });
    expect(await screen.findByText('No saved replies yet.', { exact: false })).toBeInTheDocument();
    expect(screen.getByText('Deleted /refund-late.')).toBeInTheDocument();
  });
});
