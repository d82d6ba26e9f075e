// Orders for tests, written straight to the database (the platform's orders module only reads them).
import type { OrderStatus } from '../../common/orders.js';
import type { Db } from '../../server/db/client.js';

let nextNumber = 10_000 + Math.floor(Math.random() * 1_000_000);

export async function createOrder(
  db: Db,
  parties: { customerId: string; restaurantId: string; driverId?: string | null },
  options: { status?: OrderStatus; placedMinutesAgo?: number; etaMinutesAgo?: number } = {},
) {
  const placedAt = new Date(Date.now() - (options.placedMinutesAgo ?? 30) * 60_000);
  const status = options.status ?? 'picked_up';
  return db.order.create({
    data: {
      number: nextNumber++,
      customerId: parties.customerId,
      restaurantId: parties.restaurantId,
      driverId: parties.driverId ?? null,
      status,
      totalCents: 2750,
      deliveryArea: 'Leeds LS1',
      placedAt,
      acceptedAt: new Date(placedAt.getTime() + 60_000),
      deliveredAt: status === 'delivered' ? new Date(placedAt.getTime() + 35 * 60_000) : null,
      etaAt: new Date(Date.now() - (options.etaMinutesAgo ?? -10) * 60_000),
      items: {
        create: [
          { name: 'Pad thai', quantity: 2, unitPriceCents: 1100 },
          { name: 'Spring rolls', quantity: 1, unitPriceCents: 550 },
        ],
      },
    },
    select: { id: true, number: true },
  });
}
