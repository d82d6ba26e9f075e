// The order a conversation is about, as a compact card: number, status, restaurant, time.
import type { OrderSummary } from '../../../common/orders';
import { formatDateTime, formatTime } from '../chat/format';
import { BagIcon } from '../ui/icons';
import { orderNumber, statusLabel, statusTone } from './format';

export function OrderStatusPill({ status }: { status: OrderSummary['status'] }) {
  return (
    <span
      className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusTone(status)}`}
    >
      {statusLabel(status)}
    </span>
  );
}

export function OrderCard({ order, action }: { order: OrderSummary; action?: React.ReactNode }) {
  const when = order.deliveredAt
    ? `Delivered ${formatDateTime(order.deliveredAt)}`
    : order.status === 'cancelled'
      ? `Placed ${formatDateTime(order.placedAt)}`
      : `Placed ${formatTime(order.placedAt)} · due ${formatTime(order.etaAt)}`;
  return (
    <section
      aria-label={`Order ${orderNumber(order.number)}`}
      className="flex items-center gap-3 border-b border-gray-200 bg-white px-3 py-2"
    >
      <BagIcon className="h-5 w-5 shrink-0 text-gray-400" />
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
          <span className="font-semibold text-gray-900">Order {orderNumber(order.number)}</span>
          <OrderStatusPill status={order.status} />
        </p>
        <p className="truncate text-xs text-gray-500">
          {order.restaurantName} · {when}
        </p>
      </div>
      {action}
    </section>
  );
}
