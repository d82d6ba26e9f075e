// The host platform's orders. This module owns who may read an order:
//   - a customer: the orders they placed; a restaurant: the orders it received; a driver: the
//     deliveries assigned to them (by the account's user type, not merely its id);
//   - a support admin (SUPPORT_CHAT): an order linked to a conversation (every conversation is
//     visible to support), and, in the context of one conversation, the orders of its user (the
//     candidates to link).
// Any other id is 404, exactly like one that does not exist, so order ids cannot be probed.
// Users see the other parties reduced to a first name (the restaurant by its trading name).

import type { UserType } from '../../../common/enums.js';
import { FINAL_ORDER_STATUSES, type OrderDto, type OrderParty, type OrderStatus } from '../../../common/orders.js';
import type { Db, Prisma } from '../../db/client.js';
import { errors } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { requirePermission, requireUser } from '../rbac/rbac.js';

const orderInclude = {
  items: { orderBy: { name: 'asc' } },
  customer: { select: { customerProfile: { select: { fullName: true } } } },
  restaurant: { select: { restaurantProfile: { select: { name: true } } } },
  driver: { select: { driverProfile: { select: { fullName: true } } } },
} as const satisfies Prisma.OrderInclude;

type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

/** The column of the party a user type plays in an order. */
const PARTY_COLUMN = { customer: 'customerId', restaurant: 'restaurantId', driver: 'driverId' } as const;

const STEPS: { status: OrderStatus; at: keyof OrderRow }[] = [
  { status: 'placed', at: 'placedAt' },
  { status: 'accepted', at: 'acceptedAt' },
  { status: 'preparing', at: 'preparingAt' },
  { status: 'ready', at: 'readyAt' },
  { status: 'picked_up', at: 'pickedUpAt' },
  { status: 'delivered', at: 'deliveredAt' },
  { status: 'cancelled', at: 'cancelledAt' },
];

const RECENT_ORDERS = 10;
const SEARCHED_ORDERS = 200;

const firstName = (fullName: string | undefined) => fullName?.trim().split(/\s+/)[0] ?? '';

function minutesLate(order: { status: OrderStatus; etaAt: Date; deliveredAt: Date | null }, now = new Date()) {
  if (order.status === 'cancelled') return 0;
  const end = order.deliveredAt ?? now;
  return Math.max(0, Math.floor((end.getTime() - order.etaAt.getTime()) / 60_000));
}

function toOrderDto(row: OrderRow): OrderDto {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    restaurantName: row.restaurant.restaurantProfile?.name ?? '',
    placedAt: row.placedAt.toISOString(),
    etaAt: row.etaAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    timeline: STEPS.flatMap(({ status, at }) => {
      const time = row[at];
      return time instanceof Date ? [{ status, at: time.toISOString() }] : [];
    }),
    items: row.items.map(({ name, quantity, unitPriceCents }) => ({ name, quantity, unitPriceCents })),
    totalCents: row.totalCents,
    currency: row.currency,
    deliveryArea: row.deliveryArea,
    inProgress: !FINAL_ORDER_STATUSES.includes(row.status),
    minutesLate: minutesLate(row),
    customerFirstName: firstName(row.customer.customerProfile?.fullName),
    driverFirstName: row.driver ? firstName(row.driver.driverProfile?.fullName) : null,
  };
}

/** In progress first, then newest placed first. */
const inProgressFirst = (a: OrderDto, b: OrderDto) =>
  Number(b.inProgress) - Number(a.inProgress) || b.placedAt.localeCompare(a.placedAt);

export type OrderParties = { orderId: string; number: number } & Record<OrderParty, string | null>;

export type OrdersService = ReturnType<typeof createOrdersService>;

export function createOrdersService(deps: { db: Db }) {
  const { db } = deps;

  const partyWhere = (userId: string, userType: UserType): Prisma.OrderWhereInput => ({
    [PARTY_COLUMN[userType]]: userId,
  });

  async function linkedToAConversation(orderId: string) {
    return (await db.supportConversation.count({ where: { orderId }, take: 1 })) > 0;
  }

  async function getUnchecked(orderId: string): Promise<OrderDto> {
    const row = await db.order.findUnique({ where: { id: orderId }, include: orderInclude });
    if (!row) throw errors.notFound('Order');
    return toOrderDto(row);
  }

  /** 404 unless the user plays their user type's part in the order. */
  async function assertParty(orderId: string, userId: string, userType: UserType): Promise<void> {
    const found = await db.order.count({ where: { id: orderId, ...partyWhere(userId, userType) } });
    if (found === 0) throw errors.notFound('Order');
  }

  return {
    /** The signed-in user's recent orders (as customer, restaurant or driver), in progress first. */
    async listMine(principal: Principal): Promise<OrderDto[]> {
      const user = requireUser(principal);
      const rows = await db.order.findMany({
        where: partyWhere(user.userId, user.userType),
        orderBy: { placedAt: 'desc' },
        take: RECENT_ORDERS,
        include: orderInclude,
      });
      return rows.map(toOrderDto).sort(inProgressFirst);
    },

    /** One order, if the principal may read it (see the file comment); 404 otherwise. */
    async get(principal: Principal, orderId: string): Promise<OrderDto> {
      if (principal.kind === 'admin') {
        requirePermission(principal, 'SUPPORT_CHAT');
        if (!(await linkedToAConversation(orderId))) throw errors.notFound('Order');
      } else {
        await assertParty(orderId, principal.userId, principal.userType);
      }
      return getUnchecked(orderId);
    },

    /** For callers that have already applied a policy of this module. */
    getUnchecked,

    assertParty,

    /**
     * Support (SUPPORT_CHAT): 404 unless the order is linked to a conversation. Used before
     * showing an order's case or contacting one of its parties.
     */
    async assertSupportMayRead(principal: Principal, orderId: string): Promise<void> {
      requirePermission(principal, 'SUPPORT_CHAT');
      if (!(await linkedToAConversation(orderId))) throw errors.notFound('Order');
    },

    /**
     * A user's recent orders, or (support's link picker) those among their last 200 whose number
     * starts with `numberPrefix`.
     */
    async listForParty(userId: string, userType: UserType, numberPrefix?: string): Promise<OrderDto[]> {
      const rows = await db.order.findMany({
        where: partyWhere(userId, userType),
        orderBy: { placedAt: 'desc' },
        take: numberPrefix ? SEARCHED_ORDERS : RECENT_ORDERS,
        include: orderInclude,
      });
      const matching = numberPrefix ? rows.filter((row) => String(row.number).startsWith(numberPrefix)) : rows;
      return matching.slice(0, RECENT_ORDERS).map(toOrderDto).sort(inProgressFirst);
    },

    /** The user ids of the order's three parties (driver null until dispatched). */
    async parties(orderId: string): Promise<OrderParties> {
      const row = await db.order.findUnique({
        where: { id: orderId },
        select: { id: true, number: true, customerId: true, restaurantId: true, driverId: true },
      });
      if (!row) throw errors.notFound('Order');
      return {
        orderId: row.id,
        number: row.number,
        customer: row.customerId,
        restaurant: row.restaurantId,
        driver: row.driverId,
      };
    },
  };
}
