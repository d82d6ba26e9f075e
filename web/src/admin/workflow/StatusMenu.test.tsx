import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../../common/auth';
import type { ConversationDto } from '../../../../common/support';
import { AuthTestProvider } from '../../auth/AuthProvider';
import { supportKeys } from '../../chat/query-keys';
import { mockFetch } from '../../test/fetch-mock';
import { CONVERSATION_ID, makeConversation } from '../../test/fixtures';
import { PrioritySelect } from './PrioritySelect';
import { StatusMenu } from './StatusMenu';
import { PriorityBadge, StatusBadge } from './WorkflowBadges';

const agent: Me = { kind: 'admin', userId: 'u3', adminId: 'a3', permissions: ['SUPPORT_CHAT'], displayName: 'Ana' };

function renderWith(ui: ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AuthTestProvider value={{ session: null, me: agent, login: vi.fn(), logout: vi.fn() }}>{ui}</AuthTestProvider>
    </QueryClientProvider>,
  );
  return queryClient;
}

afterEach(() => vi.unstubAllGlobals());

describe('StatusMenu', () => {
  const conversation = makeConversation({ id: CONVERSATION_ID, status: 'open' });

  it('sets pending, and the answer updates the cached conversation', async () => {
    const answer = { ...conversation, status: 'pending' as const };
    const calls = mockFetch({ status: 200, body: answer });
    const queryClient = renderWith(<StatusMenu conversation={conversation} />);
    queryClient.setQueryData(supportKeys.conversation(CONVERSATION_ID), conversation);
    await userEvent.click(screen.getByRole('button', { name: 'Status ▾' }));
    const menu = screen.getByRole('menu', { name: 'Change status' });
    expect(within(menu).queryByRole('menuitem', { name: 'Open now' })).toBeNull();
    await userEvent.click(within(menu).getByRole('menuitem', { name: /Pending/ }));
    expect(calls[0]).toMatchObject({
      url: `/api/admin/support/conversations/${CONVERSATION_ID}/status`,
      method: 'PUT',
      body: { status: 'pending' },
    });
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());
    expect(queryClient.getQueryData<ConversationDto>(supportKeys.conversation(CONVERSATION_ID))?.status).toBe(
      'pending',
    );
  });

  it('snoozes until a preset, computed in local time', async () => {
    const now = new Date(2026, 10, 25, 14, 30);
    const calls = mockFetch({ status: 200, body: { ...conversation, status: 'snoozed' } });
    renderWith(<StatusMenu conversation={conversation} now={now} />);
    await userEvent.click(screen.getByRole('button', { name: 'Status ▾' }));
    await userEvent.click(screen.getByRole('menuitem', { name: /Snooze/ }));
    const presets = screen.getByRole('menu', { name: 'Snooze until' });
    expect(
      within(presets)
        .getAllByRole('menuitem')
        .map((item) => item.textContent?.match(/^(In 1 hour|Tonight|Tomorrow|Next week|Custom time…)/)?.[0]),
    ).toEqual(['In 1 hour', 'Tonight', 'Tomorrow', 'Next week', 'Custom time…']);
    await userEvent.click(within(presets).getByRole('menuitem', { name: /Tomorrow/ }));
    expect(calls[0]?.body).toEqual({ status: 'snoozed', snoozedUntil: new Date(2026, 10, 26, 9).toISOString() });
  });

  it('snoozes until a custom time, and shows the server refusal', async () => {
    const calls = mockFetch({
      status: 400,
      body: {
        error: { code: 'SNOOZE_TIME_INVALID', message: 'Choose a time in the future, at most 90 days from now.' },
      },
    });
    renderWith(<StatusMenu conversation={conversation} />);
    await userEvent.click(screen.getByRole('button', { name: 'Status ▾' }));
    await userEvent.click(screen.getByRole('menuitem', { name: /Snooze/ }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Custom time…' }));
    const input = screen.getByLabelText('Snooze until (your time)');
    await userEvent.clear(input);
    await userEvent.type(input, '2020-01-02T03:04:05');
    await userEvent.click(screen.getByRole('button', { name: 'Snooze' }));
    expect(calls[0]?.body).toEqual({ status: 'snoozed', snoozedUntil: new Date(2020, 0, 2, 3, 4, 5).toISOString() });
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose a time in the future');
  });

  it('offers "Open now" and "Resolve" for a snoozed conversation, "Reopen" for a resolved one', async () => {
    renderWith(
      <>
        <StatusMenu conversation={{ id: CONVERSATION_ID, status: 'snoozed' }} />
        <StatusMenu conversation={{ id: 'other', status: 'resolved' }} />
      </>,
    );
    const [snoozed, resolved] = screen.getAllByRole('button', { name: 'Status ▾' });
    await userEvent.click(snoozed as HTMLElement);
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent?.trim())).toEqual([
      'Open now',
      'Pending waiting on the user',
      'Snooze',
      'Resolve',
    ]);
    // The first item has focus; the arrows move through the items, wrapping around.
    expect(screen.getByRole('menuitem', { name: 'Open now' })).toHaveFocus();
    await userEvent.keyboard('{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Resolve' })).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: /Pending/ })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(snoozed).toHaveFocus();
    await userEvent.click(resolved as HTMLElement);
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent?.trim())).toEqual([
      'Pending waiting on the user',
      'Snooze',
      'Reopen',
    ]);
  });
});

describe('workflow badges and priority', () => {
  it('shows the snooze time and the priority in words; no badge for no priority', () => {
    const { container } = render(
      <>
        <StatusBadge
          conversation={{ status: 'snoozed', snoozedUntil: new Date(2026, 10, 26, 9).toISOString() }}
          now={new Date(2026, 10, 25, 12)}
        />
        <PriorityBadge priority="urgent" />
        <PriorityBadge priority="none" />
      </>,
    );
    expect(container.textContent).toMatch(/^Snoozed until Thu 0?9:00.*Urgent$/);
  });

  it('sets the priority', async () => {
    const calls = mockFetch({ status: 200, body: makeConversation({ priority: 'high' }) });
    renderWith(<PrioritySelect conversationId={CONVERSATION_ID} priority="none" />);
    await userEvent.selectOptions(screen.getByLabelText('Priority'), 'high');
    expect(calls[0]).toMatchObject({ method: 'PUT', body: { priority: 'high' } });
  });
});
