import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationRatingDto } from '../../../common/notifications';
import { mockFetch } from '../test/fetch-mock';
import { RatingCard } from './RatingCard';

const rating: ConversationRatingDto = {
  conversationId: 'c1',
  resolvedAt: '2026-11-28T05:00:00.000Z',
  rating: 4,
  comment: 'quick',
  createdAt: '2026-11-28T05:01:00.000Z',
  updatedAt: '2026-11-28T05:01:00.000Z',
  changeableUntil: '2026-11-29T05:01:00.000Z',
};

function renderCard() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <RatingCard conversationId="c1" resolvedAt={rating.resolvedAt} />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('RatingCard', () => {
  it('sends the chosen score and comment with PUT, then thanks the user', async () => {
    const calls = mockFetch(
      { status: 200, body: { canRate: true, rating: null } },
      { status: 200, body: rating },
      { status: 200, body: { canRate: true, rating } },
    );
    renderCard();
    await userEvent.click(await screen.findByRole('radio', { name: '4 of 5' }));
    await userEvent.type(screen.getByLabelText('Comment (optional)'), 'quick');
    await userEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    expect(await screen.findByText(/You rated this conversation 4 of 5/)).toBeInTheDocument();
    expect(calls[1]).toMatchObject({
      url: '/api/support/conversations/c1/rating',
      method: 'PUT',
      body: { rating: 4, comment: 'quick' },
    });
  });

  it('shows nothing when the conversation cannot be rated', async () => {
    const calls = mockFetch({ status: 200, body: { canRate: false, rating: null } });
    renderCard();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(screen.queryByRole('form', { name: 'Rate this conversation' })).not.toBeInTheDocument();
    expect(screen.queryByText(/How did we do/)).not.toBeInTheDocument();
  });
});
