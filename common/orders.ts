// Wire contract of the host platform's orders, as the support chat shows them. Users see an order
// they are a party of with the other parties reduced to a first name (or the restaurant's trading
// name); support sees the full case (common/support.ts, OrderCase).
import { z } from 'zod';

const Uuid = z.string().uuid();
const IsoDate = z.string().datetime({ offset: true });

export const OrderStatus = z.enum(['placed', 'accepted', 'preparing', 'ready', 'picked_up', 'delivered', 'cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Statuses after which the order is over (no longer "in progress"). */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ['delivered', 'cancelled'];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  placed: 'Placed',
  accepted: 'Accepted',
  preparing: 'Preparing',
  ready: 'Ready for pickup',
  picked_up: 'Picked up',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

export const OrderParty = z.enum(['customer', 'restaurant', 'driver']);
export type OrderParty = z.infer<typeof OrderParty>;

/** What a conversation carries of its order: enough for the card at the top of the chat. */
export const OrderSummary = z.object({
  id: Uuid,
  /** The human number, shown as "#4821". */
  number: z.number().int(),
  status: OrderStatus,
  restaurantName: z.string(),
  placedAt: IsoDate,
  etaAt: IsoDate,
  deliveredAt: IsoDate.nullable(),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderTimelineStep = z.object({ status: OrderStatus, at: IsoDate });

export const OrderItemDto = z.object({
  name: z.string(),
  quantity: z.number().int(),
  unitPriceCents: z.number().int(),
});

/** An order as one of its parties (or support) sees it. */
export const OrderDto = OrderSummary.extend({
  /** The steps reached so far, in order, each with its time. */
  timeline: z.array(OrderTimelineStep),
  items: z.array(OrderItemDto),
  totalCents: z.number().int(),
  currency: z.string(),
  /** A district or postcode area, never the full address. */
  deliveryArea: z.string(),
  inProgress: z.boolean(),
  /** Minutes past the ETA (delivered late, or still on its way after it); 0 when on time. */
  minutesLate: z.number().int(),
  customerFirstName: z.string(),
  /** Null until a driver is dispatched. */
  driverFirstName: z.string().nullable(),
});
export type OrderDto = z.infer<typeof OrderDto>;

export const OrderList = z.object({ items: z.array(OrderDto) });
export type OrderList = z.infer<typeof OrderList>;

export const OrderIdParams = z.object({ orderId: Uuid });
