// "Which order is this about?": the user's recent orders (the one in progress first) or
// "Something else". The value is an order id, or null for something else.
import { useEffect } from 'react';
import type { OrderDto } from '../../../common/orders';
import { formatDateTime } from '../chat/format';
import { Spinner } from '../ui/Spinner';
import { orderNumber } from './format';
import { useMyOrders } from './hooks';
import { OrderStatusPill } from './OrderCard';

const optionClass =
  'flex min-h-11 cursor-pointer items-center gap-3 rounded-lg border border-gray-200 bg-white px-3 py-2 has-[:checked]:border-brand-500 has-[:checked]:ring-2 has-[:checked]:ring-brand-500/30';

/** The order to preselect: the first in progress (the list comes in progress first). */
export const preselectedOrder = (orders: readonly OrderDto[]) => orders.find((order) => order.inProgress) ?? null;

export function OrderPicker({
  value,
  onChange,
  name,
}: {
  value: string | null | undefined;
  /** Called once with the preselection when the orders arrive (value undefined), then on each choice. */
  onChange: (orderId: string | null) => void;
  name: string;
}) {
  const orders = useMyOrders();
  const items = orders.data?.items ?? [];
  useEffect(() => {
    if (value === undefined && orders.data) onChange(preselectedOrder(orders.data.items ?? [])?.id ?? null);
  }, [value, orders.data, onChange]);

  if (orders.isPending) return <Spinner label="Loading your orders" />;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-gray-800">Which order is this about?</legend>
      {orders.error && <p className="text-sm text-gray-500">Your orders could not be loaded.</p>}
      {items.map((order) => (
        <label key={order.id} className={optionClass}>
          <input
            type="radio"
            name={name}
            checked={value === order.id}
            onChange={() => onChange(order.id)}
            className="h-4 w-4 text-brand-600 focus:ring-brand-500"
          />
          <span className="min-w-0 flex-1">
            <span className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-semibold text-gray-900">{orderNumber(order.number)}</span>
              <OrderStatusPill status={order.status} />
            </span>
            <span className="block truncate text-xs text-gray-500">
              {order.restaurantName} · {formatDateTime(order.placedAt)}
            </span>
          </span>
        </label>
      ))}
      <label className={optionClass}>
        <input
          type="radio"
          name={name}
          checked={value === null}
          onChange={() => onChange(null)}
          className="h-4 w-4 text-brand-600 focus:ring-brand-500"
        />
        <span className="text-sm text-gray-800">Something else</span>
      </label>
    </fieldset>
  );
}
