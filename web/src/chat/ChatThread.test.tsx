import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { makeAttachment, makeMessage } from '../test/fixtures';
import { ChatThread } from './ChatThread';

const now = new Date('2025-03-10T12:00:00');

/** jsdom does no layout: give the scroller a size and scroll it. */
function layOut(scroller: HTMLElement, { scrollHeight, clientHeight }: { scrollHeight: number; clientHeight: number }) {
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: () => scrollHeight });
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, get: () => clientHeight });
}

describe('ChatThread', () => {
  it('separates days and puts own messages on the right with sender and time', () => {
    const messages = [
      makeMessage({ senderType: 'user', body: 'Yesterday question', createdAt: '2025-03-09T15:00:00' }),
      makeMessage({
        senderType: 'admin',
        senderName: 'Sam Support',
        body: 'Good morning',
        createdAt: '2025-03-10T09:05:00',
      }),
      makeMessage({ senderType: 'user', body: 'Thanks', createdAt: '2025-03-10T09:06:00' }),
    ];
    render(<ChatThread messages={messages} viewerSide="user" now={now} />);

    expect(screen.getAllByTestId('day-separator').map((separator) => separator.textContent)).toEqual([
      'Yesterday',
      'Today',
    ]);
    const log = screen.getByRole('log', { name: 'Messages' });
    const bubble = (text: string) => within(log).getByText(text).closest('[data-own]');
    expect(bubble('Yesterday question')).toHaveAttribute('data-own', 'true');
    expect(bubble('Yesterday question')).toHaveClass('justify-end');
    expect(bubble('Good morning')).toHaveAttribute('data-own', 'false');
    expect(bubble('Good morning')).toHaveClass('justify-start');
    expect(bubble('Good morning')).toHaveTextContent('Sam Support');
    expect(bubble('Good morning')?.querySelector('time')).toHaveAttribute('datetime', '2025-03-10T09:05:00');
    expect(bubble('Thanks')).toHaveTextContent('You');
  });

  it('shows read ticks on own messages only: Sent, then Read', () => {
    const sent = makeMessage({ senderType: 'admin', senderName: 'Sam', body: 'Sent one', read: false });
    const read = makeMessage({
      senderType: 'admin',
      senderName: 'Sam',
      body: 'Read one',
      read: true,
      readAt: '2025-03-10T10:01:00.000Z',
    });
    const theirs = makeMessage({ senderType: 'user', body: 'From user', read: true });
    render(<ChatThread messages={[sent, read, theirs]} viewerSide="admin" userName="Dana Driver" />);
    const bubble = (text: string) => screen.getByText(text).closest('[data-own]') as HTMLElement;
    expect(within(bubble('Sent one')).getByText('Sent')).toBeInTheDocument();
    expect(within(bubble('Read one')).getByText('Read')).toBeInTheDocument();
    expect(within(bubble('From user')).queryByText(/^(Read|Sent)$/)).not.toBeInTheDocument();
    expect(bubble('From user')).toHaveTextContent('Dana Driver');
  });

  it('shows a "New messages" pill when a message arrives while the reader is scrolled up', async () => {
    const first = makeMessage({ senderType: 'admin', body: 'First', createdAt: '2025-03-10T10:00:00' });
    const { rerender } = render(<ChatThread messages={[first]} viewerSide="user" />);
    const scroller = screen.getByTestId('chat-scroller');
    layOut(scroller, { scrollHeight: 2000, clientHeight: 500 });
    scroller.scrollTop = 300; // far from the bottom (1500)
    fireEvent.scroll(scroller);

    const next = makeMessage({ senderType: 'admin', body: 'Second', createdAt: '2025-03-10T10:01:00' });
    rerender(<ChatThread messages={[first, next]} viewerSide="user" />);
    const pill = screen.getByRole('button', { name: 'New message' });
    expect(scroller.scrollTop).toBe(300);

    await userEvent.click(pill);
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
  });

  it('follows new messages when the reader is at the bottom (no pill)', () => {
    const first = makeMessage({ senderType: 'admin', body: 'First', createdAt: '2025-03-10T10:00:00' });
    const { rerender } = render(<ChatThread messages={[first]} viewerSide="user" />);
    const scroller = screen.getByTestId('chat-scroller');
    layOut(scroller, { scrollHeight: 2000, clientHeight: 500 });
    scroller.scrollTop = 1500;
    fireEvent.scroll(scroller);

    const next = makeMessage({ senderType: 'admin', body: 'Second', createdAt: '2025-03-10T10:01:00' });
    rerender(<ChatThread messages={[first, next]} viewerSide="user" />);
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
    expect(scroller.scrollTop).toBe(2000);
  });

  it('asks for older messages at the top and keeps the reader in place when they arrive', () => {
    const onLoadOlder = vi.fn();
    const latest = makeMessage({ body: 'Latest', createdAt: '2025-03-10T10:00:00' });
    const { rerender } = render(
      <ChatThread messages={[latest]} viewerSide="user" hasOlder onLoadOlder={onLoadOlder} />,
    );
    const scroller = screen.getByTestId('chat-scroller');
    layOut(scroller, { scrollHeight: 1000, clientHeight: 500 });
    scroller.scrollTop = 10;
    fireEvent.scroll(scroller);
    expect(onLoadOlder).toHaveBeenCalled();

    layOut(scroller, { scrollHeight: 1600, clientHeight: 500 });
    const older = makeMessage({ body: 'Older', createdAt: '2025-03-10T09:00:00' });
    rerender(<ChatThread messages={[older, latest]} viewerSide="user" hasOlder={false} />);
    expect(scroller.scrollTop).toBe(10 + 600);
  });

  it('opens an image thumbnail in a preview dialog with a download link', async () => {
    const attachment = makeAttachment({ fileName: 'damage.jpg' });
    const message = makeMessage({ messageType: 'image', body: null, attachment });
    render(<ChatThread messages={[message]} viewerSide="admin" />);

    const thumbnail = screen.getByRole('img', { name: 'damage.jpg' });
    expect(thumbnail).toHaveAttribute('src', attachment.thumbnailUrl);
    await userEvent.click(screen.getByRole('button', { name: 'Open image damage.jpg' }));

    const dialog = screen.getByRole('dialog', { name: 'damage.jpg' });
    expect(within(dialog).getByRole('img', { name: 'damage.jpg' })).toHaveAttribute('src', attachment.viewUrl);
    expect(within(dialog).getByRole('link', { name: /Download/ })).toHaveAttribute('href', attachment.downloadUrl);

    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('fetches fresh signed URLs before opening an image whose URLs expired', async () => {
    const attachment = makeAttachment({ fileName: 'old.png', urlsExpireAt: '2020-01-01T00:00:00.000Z' });
    const fresh = {
      id: attachment.id,
      viewUrl: '/api/documents/fresh-view',
      downloadUrl: '/api/documents/fresh-download',
      thumbnailUrl: '/api/documents/fresh-thumb',
      urlsExpireAt: new Date(Date.now() + 300_000).toISOString(),
    };
    const onRefreshUrls = vi.fn().mockResolvedValue(fresh);
    const message = makeMessage({ messageType: 'image', body: null, attachment });
    render(<ChatThread messages={[message]} viewerSide="user" onRefreshUrls={onRefreshUrls} />);

    await userEvent.click(screen.getByRole('button', { name: 'Open image old.png' }));
    expect(onRefreshUrls).toHaveBeenCalledWith(attachment.id);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('img')).toHaveAttribute('src', fresh.viewUrl);
    expect(within(dialog).getByRole('link', { name: /Download/ })).toHaveAttribute('href', fresh.downloadUrl);
  });

  it('shows a file as a card with name, size and a Download link', () => {
    const attachment = makeAttachment({
      fileName: 'invoice-March.pdf',
      fileType: 'application/pdf',
      fileSize: 2_411_724,
      isImage: false,
      imageWidth: null,
      imageHeight: null,
      thumbnailUrl: null,
    });
    const message = makeMessage({ messageType: 'file', body: null, attachment });
    render(<ChatThread messages={[message]} viewerSide="admin" />);

    expect(screen.getByText('invoice-March.pdf')).toBeInTheDocument();
    expect(screen.getByText('PDF · 2.3 MB')).toBeInTheDocument();
    const download = screen.getByRole('link', { name: 'Download invoice-March.pdf' });
    expect(download).toHaveAttribute('href', attachment.downloadUrl);
    expect(download).toHaveAttribute('download', 'invoice-March.pdf');
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute('href', attachment.viewUrl);
  });

  it('offers a retry on an optimistic message that failed to send', async () => {
    const onRetrySend = vi.fn();
    const failed = { ...makeMessage({ body: 'Lost', clientMessageId: 'abc12345' }), pending: 'failed' as const };
    render(<ChatThread messages={[failed]} viewerSide="user" onRetrySend={onRetrySend} />);
    expect(screen.getByText('Not sent')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetrySend).toHaveBeenCalledWith(failed);
  });
});
