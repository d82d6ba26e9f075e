// Demo orders for `npm start`: a few realistic orders for every demo user, with one in progress
// (#4821, picked up and running late) shared by driver@, customer@ and restaurant@demo.test, so
// that the order flows of the support chat can be tried at once. Only when there are no orders yet;
// times are relative to the seeding.
import type { OrderStatus } from '../../common/orders.js';
import type { Db } from '../db/client.js';

type DemoOrder = {
  number: number;
  customer: string;
  restaurant: string;
  driver: string | null;
  status: OrderStatus;
  /** Minutes before the seeding that the order was placed. */
  placedMinutesAgo: number;
  /** The promised delivery, minutes after placing. */
  etaAfterMinutes: number;
  deliveryArea: string;
  items: { name: string; quantity: number; unitPriceCents: number }[];
};

/** Minutes after placing at which each step is reached (delivered and cancelled end the order). */
const STEP_OFFSETS: Partial<Record<OrderStatus, number>> = {
  accepted: 2,
  preparing: 4,
  ready: 18,
  picked_up: 22,
  delivered: 36,
};
const PROGRESS: OrderStatus[] = ['placed', 'accepted', 'preparing', 'ready', 'picked_up', 'delivered'];

export const DEMO_ORDERS: DemoOrder[] = [
  {
    number: 4821,
    customer: 'customer@demo.test',
    restaurant: 'restaurant@demo.test',
    driver: 'driver@demo.test',
    status: 'picked_up',
    placedMinutesAgo: 48,
    etaAfterMinutes: 40,
    deliveryArea: 'Islington N1',
    items: [
      { name: 'Margherita pizza', quantity: 2, unitPriceCents: 1150 },
      { name: 'Garlic bread', quantity: 1, unitPriceCents: 450 },
      { name: 'Tiramisu', quantity: 1, unitPriceCents: 595 },
    ],
  },
  {
    number: 4833,
    customer: 'customer3@demo.test',
    restaurant: 'restaurant@demo.test',
    driver: null,
    status: 'preparing',
    placedMinutesAgo: 9,
    etaAfterMinutes: 45,
    deliveryArea: 'Highbury N5',
    items: [{ name: 'Quattro formaggi pizza', quantity: 1, unitPriceCents: 1350 }],
  },
  {
    number: 48213,
    customer: 'customer@demo.test',
    restaurant: 'restaurant@demo.test',
    driver: 'driver3@demo.test',
    status: 'delivered',
    placedMinutesAgo: 26 * 60,
    etaAfterMinutes: 40,
    deliveryArea: 'Islington N1',
    items: [
      { name: 'Diavola pizza', quantity: 1, unitPriceCents: 1295 },
      { name: 'Garlic bread', quantity: 1, unitPriceCents: 450 },
    ],
  },
  {
    number: 47120,
    customer: 'customer2@demo.test',
    restaurant: 'restaurant2@demo.test',
    driver: null,
    status: 'cancelled',
    placedMinutesAgo: 2 * 24 * 60,
    etaAfterMinutes: 35,
    deliveryArea: 'Birmingham B1',
    items: [{ name: 'Tonkotsu ramen', quantity: 2, unitPriceCents: 1395 }],
  },
  {
    number: 4802,
    customer: 'customer2@demo.test',
    restaurant: 'restaurant2@demo.test',
    driver: 'driver2@demo.test',
    status: 'delivered',
    placedMinutesAgo: 3 * 24 * 60,
    etaAfterMinutes: 35,
    deliveryArea: 'Manchester M1',
    items: [
      { name: 'Chicken katsu curry', quantity: 1, unitPriceCents: 1250 },
      { name: 'Gyoza (6)', quantity: 1, unitPriceCents: 650 },
    ],
  },
  {
    number: 4790,
    customer: 'customer@demo.test',
    restaurant: 'restaurant3@demo.test',
    driver: 'driver@demo.test',
    status: 'delivered',
    placedMinutesAgo: 5 * 24 * 60,
    etaAfterMinutes: 30,
    deliveryArea: 'Islington N1',
    items: [{ name: 'Falafel bowl', quantity: 2, unitPriceCents: 995 }],
  },
  {
    number: 4815,
    customer: 'customer3@demo.test',
    restaurant: 'restaurant3@demo.test',
    driver: 'driver2@demo.test',
    status: 'delivered',
    placedMinutesAgo: 4 * 24 * 60,
    etaAfterMinutes: 30,
    deliveryArea: 'Leeds LS1',
    items: [
      { name: 'Buddha bowl', quantity: 1, unitPriceCents: 1095 },
      { name: 'Oat flat white', quantity: 2, unitPriceCents: 345 },
    ],
  },
  {
    number: 4808,
    customer: 'customer3@demo.test',
    restaurant: 'restaurant2@demo.test',
    driver: 'driver3@demo.test',
    status: 'delivered',
    placedMinutesAgo: 6 * 24 * 60,
    etaAfterMinutes: 35,
    deliveryArea: 'Leeds LS2',
    items: [{ name: 'Spicy miso ramen', quantity: 1, unitPriceCents: 1395 }],
  },
];

export async function seedDemoOrders(db: Db, now = new Date()): Promise<number> {
  if ((await db.order.count()) > 0) return 0;
  const users = await db.user.findMany({
    where: { email: { endsWith: '@demo.test' } },
    select: { id: true, email: true },
  });
  const idOf = new Map(users.map((user) => [user.email, user.id]));
  let created = 0;
  for (const demo of DEMO_ORDERS) {
    const customerId = idOf.get(demo.customer);
    const restaurantId = idOf.get(demo.restaurant);
    const driverId = demo.driver ? idOf.get(demo.driver) : null;
    if (!customerId || !restaurantId || driverId === undefined) continue;
    const placedAt = new Date(now.getTime() - demo.placedMinutesAgo * 60_000);
    const at = (minutes: number | undefined) =>
      minutes === undefined ? null : new Date(placedAt.getTime() + minutes * 60_000);
    const reached = (status: OrderStatus) =>
      demo.status !== 'cancelled' && PROGRESS.indexOf(status) <= PROGRESS.indexOf(demo.status);
    const step = (status: OrderStatus) => (reached(status) ? at(STEP_OFFSETS[status]) : null);
    await db.order.create({
      data: {
        number: demo.number,
        customerId,
        restaurantId,
        driverId,
        status: demo.status,
        totalCents: demo.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
        deliveryArea: demo.deliveryArea,
        placedAt,
        acceptedAt: step('accepted'),
        preparingAt: step('preparing'),
        readyAt: step('ready'),
        pickedUpAt: step('picked_up'),
        deliveredAt: step('delivered'),
        cancelledAt: demo.status === 'cancelled' ? at(6) : null,
        etaAt: at(demo.etaAfterMinutes) as Date,
        items: { create: demo.items },
      },
    });
    created++;
  }
  return created;
}
