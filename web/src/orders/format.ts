// How orders read on screen.
import { ORDER_STATUS_LABELS, type OrderStatus } from '../../../common/orders';

export const orderNumber = (number: number) => `#${number}`;

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
}

export const statusLabel = (status: OrderStatus) => ORDER_STATUS_LABELS[status];

export function lateness(minutesLate: number, delivered: boolean): string {
  if (minutesLate <= 0) return delivered ? 'Delivered on time' : 'On time';
  const amount = minutesLate >= 90 ? `${Math.round(minutesLate / 60)} h` : `${minutesLate} min`;
  return delivered ? `Delivered ${amount} late` : `${amount} late`;
}

/** Colour of a status pill: in progress, done, or cancelled. */
export function statusTone(status: OrderStatus): string {
  if (status === 'cancelled') return 'bg-red-50 text-red-700 ring-red-600/20';
  if (status === 'delivered') return 'bg-green-50 text-green-700 ring-green-600/20';
  return 'bg-amber-50 text-amber-800 ring-amber-600/20';
}
