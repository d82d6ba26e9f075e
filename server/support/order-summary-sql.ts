// The linked order's summary on a conversation view: the same columns and joins in every
// statement that builds a view (conversation-queries.ts, text-message-write.ts). `c` is the
// conversation row; one primary-key lookup per row of a page.
import type { OrderStatus, OrderSummary } from '../../common/orders.js';

export const ORDER_SUMMARY_COLUMNS = `o.id AS "orderId", o.number AS "orderNumber", o.status AS "orderStatus",
       orp.name AS "orderRestaurantName", o."placedAt" AS "orderPlacedAt", o."etaAt" AS "orderEtaAt",
       o."deliveredAt" AS "orderDeliveredAt"`;

export const ORDER_SUMMARY_JOINS = `LEFT JOIN "Order" o ON o.id = c."orderId"
LEFT JOIN "RestaurantProfile" orp ON orp."userId" = o."restaurantId"`;

export type OrderSummaryColumns = {
  orderId: string | null;
  orderNumber: number | null;
  orderStatus: OrderStatus | null;
  orderRestaurantName: string | null;
  orderPlacedAt: Date | null;
  orderEtaAt: Date | null;
  orderDeliveredAt: Date | null;
};

export function orderSummaryOf(row: OrderSummaryColumns): OrderSummary | null {
  if (!row.orderId || row.orderNumber === null || !row.orderStatus || !row.orderPlacedAt || !row.orderEtaAt) {
    return null;
  }
  return {
    id: row.orderId,
    number: row.orderNumber,
    status: row.orderStatus,
    restaurantName: row.orderRestaurantName ?? '',
    placedAt: row.orderPlacedAt.toISOString(),
    etaAt: row.orderEtaAt.toISOString(),
    deliveredAt: row.orderDeliveredAt?.toISOString() ?? null,
  };
}
