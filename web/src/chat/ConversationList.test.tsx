import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeConversation } from '../test/fixtures';
import { FakeIntersectionObserver, installIntersectionObserver } from '../test/intersection-observer';
import { ConversationList } from './ConversationList';

const now = new Date('2025-03-10T12:00:00.000Z');

const conversations = [
  makeConversation({
    userType: 'driver',
    subject: 'Payout missing',
    unreadCount: 3,
    user: { userId: 'u1', userType: 'driver', displayName: 'Dana Driver', email: 'd@x.test', phone: '+1' },
    assignee: { adminId: 'a1', displayName: 'Sam Support' },
    lastMessage: {
      id: '00000000-0000-4000-8000-00000000aaaa',
      senderType: 'user',
      messageType: 'text',
      preview: 'Where is my payout?',
      createdAt: '2025-03-10T11:58:00.000Z',
    },
    lastMessageAt: '2025-03-10T11:58:00.000Z',
  }),
  makeConversation({
    userType: 'restaurant',
    status: 'resolved',
    unreadCount: 0,
    user: { userId: 'u2', userType: 'restaurant', displayName: 'Napoli Pizza', email: 'n@x.test', phone: '+2' },
    lastMessage: {
      id: '00000000-0000-4000-8000-00000000bbbb',
      senderType: 'admin',
      messageType: 'file',
      preview: 'File: invoice.pdf',
      createdAt: '2025-03-09T11:00:00.000Z',
    },
    lastMessageAt: '2025-03-09T11:00:00.000Z',
  }),
];

beforeEach(() => installIntersectionObserver());

describe('ConversationList', () => {
  it('renders a row per conversation with name, type, preview, unread badge, status and assignee', () => {
    render(<ConversationList conversations={conversations} viewer="admin" onSelect={() => {}} now={now} />);
    const rows = within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('button');
    expect(rows).toHaveLength(2);

    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent('Dana Driver');
    expect(first).toHaveTextContent('Driver');
    expect(first).toHaveTextContent('Payout missing');
    expect(first).toHaveTextContent('Where is my payout?');
    expect(within(first).getByText('3 unread messages')).toBeInTheDocument();
    expect(first).toHaveTextContent('Assigned to Sam Support');

    expect(second).toHaveTextContent('Napoli Pizza');
    expect(second).toHaveTextContent('Support: File: invoice.pdf');
    expect(second).toHaveTextContent('Resolved');
    expect(second).toHaveTextContent('Unassigned');
    expect(within(second).queryByText(/unread/)).not.toBeInTheDocument();
  });

  it('shows subjects and "You:" to a user, not names or assignees', () => {
    const mine = makeConversation({
      subject: 'Late delivery',
      lastMessage: {
        id: '00000000-0000-4000-8000-00000000cccc',
        senderType: 'user',
        messageType: 'text',
        preview: 'It is late',
        createdAt: '2025-03-10T11:00:00.000Z',
      },
    });
    render(<ConversationList conversations={[mine]} viewer="user" onSelect={() => {}} now={now} />);
    const row = screen.getByRole('button', { name: /Late delivery/ });
    expect(row).toHaveTextContent('You: It is late');
    expect(row).not.toHaveTextContent('Unassigned');
  });

  it('calls onSelect with the conversation id and marks the selected row', async () => {
    const onSelect = vi.fn();
    const { rerender } = render(
      <ConversationList conversations={conversations} viewer="admin" onSelect={onSelect} now={now} />,
    );
    await userEvent.click(screen.getByRole('button', { name: /Napoli Pizza/ }));
    expect(onSelect).toHaveBeenCalledWith(conversations[1]?.id);

    rerender(
      <ConversationList
        conversations={conversations}
        viewer="admin"
        onSelect={onSelect}
        selectedId={conversations[1]?.id}
        now={now}
      />,
    );
    expect(screen.getByRole('button', { name: /Napoli Pizza/ })).toHaveAttribute('aria-current', 'true');
    expect(screen.getByRole('button', { name: /Dana Driver/ })).not.toHaveAttribute('aria-current');
  });

  it('moves focus between rows with the arrow keys', async () => {
    render(<ConversationList conversations={conversations} viewer="admin" onSelect={() => {}} now={now} />);
    screen.getByRole('button', { name: /Dana Driver/ }).focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(screen.getByRole('button', { name: /Napoli Pizza/ })).toHaveFocus();
    await userEvent.keyboard('{ArrowUp}');
    expect(screen.getByRole('button', { name: /Dana Driver/ })).toHaveFocus();
  });

  it('asks for more when the end of the list scrolls into view', () => {
    const onLoadMore = vi.fn();
    render(
      <ConversationList
        conversations={conversations}
        viewer="admin"
        onSelect={() => {}}
        hasMore
        onLoadMore={onLoadMore}
        now={now}
      />,
    );
    expect(onLoadMore).not.toHaveBeenCalled();
    FakeIntersectionObserver.show(screen.getByTestId('load-more-sentinel'));
    expect(onLoadMore).toHaveBeenCalledTimes(1);
  });

  it('does not ask for more while a page is loading or when there is none', () => {
    const onLoadMore = vi.fn();
    const { rerender } = render(
      <ConversationList
        conversations={conversations}
        viewer="admin"
        onSelect={() => {}}
        hasMore
        isLoadingMore
        onLoadMore={onLoadMore}
      />,
    );
    FakeIntersectionObserver.show(screen.getByTestId('load-more-sentinel'));
    rerender(
      <ConversationList conversations={conversations} viewer="admin" onSelect={() => {}} onLoadMore={onLoadMore} />,
    );
    expect(screen.queryByTestId('load-more-sentinel')).not.toBeInTheDocument();
    expect(onLoadMore).not.toHaveBeenCalled();
  });

  it('shows loading, error with retry, and empty states', async () => {
    const onRetry = vi.fn();
    const { rerender } = render(<ConversationList conversations={[]} viewer="admin" onSelect={() => {}} isLoading />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading conversations');

    rerender(
      <ConversationList
        conversations={[]}
        viewer="admin"
        onSelect={() => {}}
        error={new Error('x')}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('could not be loaded');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalled();

    rerender(
      <ConversationList conversations={[]} viewer="admin" onSelect={() => {}} emptyState={<p>Nothing matches</p>} />,
    );
    expect(screen.getByText('Nothing matches')).toBeInTheDocument();
  });
});

describe('ConversationList: the routing queue', () => {
  it('shows an open, unassigned conversation as Waiting with its waiting time', () => {
    const queuedAt = new Date(now.getTime() - 3 * 60_000).toISOString();
    const waiting = makeConversation({ status: 'open', adminId: null, assignee: null, queuedAt });
    render(<ConversationList conversations={[waiting]} viewer="admin" onSelect={() => {}} now={now} />);
    expect(screen.getByRole('button')).toHaveTextContent('Waiting · 3 min');
  });

  it('keeps the waiting time ticking while the list is not re-rendered', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      vi.setSystemTime(now);
      const queuedAt = new Date(now.getTime() - 3 * 60_000).toISOString();
      const waiting = makeConversation({ status: 'open', adminId: null, assignee: null, queuedAt });
      render(<ConversationList conversations={[waiting]} viewer="admin" onSelect={() => {}} />);
      expect(screen.getByRole('button')).toHaveTextContent('Waiting · 3 min');
      act(() => {
        vi.advanceTimersByTime(2 * 60_000);
      });
      expect(screen.getByRole('button')).toHaveTextContent('Waiting · 5 min');
    } finally {
      vi.useRealTimers();
    }
  });
});
