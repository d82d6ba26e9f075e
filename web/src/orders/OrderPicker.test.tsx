import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { OrderDto } from '../../../common/orders';
import { mockApi } from '../test/fetch-mock';
import { uuid } from '../test/fixtures';
import { OrderPicker } from './OrderPicker';

function makeOrder(overrides: Partial<OrderDto>): OrderDto {
  return {
    id: uuid(),
    number: 4821,
    status: 'picked_up',
    restaurantName: 'Bella Napoli',
    placedAt: '2025-03-10T11:00:00.000Z',
    etaAt: '2025-03-10T11:40:00.000Z',
    deliveredAt: null,
    timeline: [],
    items: [],
    totalCents: 2000,
    currency: 'GBP',
    deliveryArea: 'Islington N1',
    inProgress: true,
    minutesLate: 0,
    customerFirstName: 'Emma',
    driverFirstName: 'Alex',
    ...overrides,
  };
}

function Harness() {
  const [value, setValue] = useState<string | null | undefined>(undefined);
  return (
    <>
      <OrderPicker name="order" value={value} onChange={setValue} />
      <output aria-label="chosen">{value === undefined ? 'undecided' : (value ?? 'something else')}</output>
    </>
  );
}

const renderPicker = () =>
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <Harness />
    </QueryClientProvider>,
  );

describe('OrderPicker', () => {
  it('preselects the order in progress and offers "Something else"', async () => {
    const current = makeOrder({ number: 4821 });
    const past = makeOrder({ number: 4790, status: 'delivered', inProgress: false });
    mockApi({ '/api/orders': { status: 200, body: { items: [current, past] } } });
    renderPicker();
    const radio = await screen.findByRole('radio', { name: /#4821/ });
    // The picker preselects once the orders have loaded (an effect after the first render).
    await waitFor(() => expect(radio).toBeChecked());
    expect(screen.getByLabelText('chosen')).toHaveTextContent(current.id);
    await userEvent.click(screen.getByRole('radio', { name: 'Something else' }));
    expect(screen.getByLabelText('chosen')).toHaveTextContent('something else');
  });

  it('preselects "Something else" when no order is in progress', async () => {
    mockApi({
      '/api/orders': { status: 200, body: { items: [makeOrder({ status: 'delivered', inProgress: false })] } },
    });
    renderPicker();
    expect(await screen.findByRole('radio', { name: 'Something else' })).toBeChecked();
  });
});
