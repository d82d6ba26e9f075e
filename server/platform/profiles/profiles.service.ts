// Profiles of platform users. Each user type keeps its own profile table; this module is the one
// place that knows how to read "a user's details" for a given userType.
import type { UserType } from '../../../common/enums.js';
import type { UserDetails, UserSummary } from '../../../common/support.js';
import type { Db, Prisma } from '../../db/client.js';
import { errors } from '../../errors.js';

const profileSelect = {
  id: true,
  email: true,
  role: true,
  isActive: true,
  createdAt: true,
  driverProfile: true,
  customerProfile: true,
  restaurantProfile: true,
} as const;

type UserWithProfiles = Prisma.UserGetPayload<{ select: typeof profileSelect }>;

const VEHICLES: Record<string, string> = { bicycle: 'Bicycle', scooter: 'Scooter', motorbike: 'Motorbike', car: 'Car' };

function detailsOf(user: UserWithProfiles, userType: UserType): UserDetails | null {
  const base = {
    userId: user.id,
    userType,
    email: user.email,
    accountCreatedAt: user.createdAt.toISOString(),
    isActive: user.isActive,
  };
  if (userType === 'driver' && user.driverProfile) {
    const p = user.driverProfile;
    return {
      ...base,
      displayName: p.fullName,
      phone: p.phone,
      city: p.city,
      fields: [
        { label: 'Vehicle', value: VEHICLES[p.vehicleType] ?? p.vehicleType },
        ...(p.licensePlate ? [{ label: 'Licence plate', value: p.licensePlate }] : []),
        ...(p.rating !== null ? [{ label: 'Rating', value: `${p.rating.toFixed(2)} / 5` }] : []),
        { label: 'Completed deliveries', value: String(p.completedDeliveries) },
      ],
    };
  }
  if (userType === 'customer' && user.customerProfile) {
    const p = user.customerProfile;
    return {
      ...base,
      displayName: p.fullName,
      phone: p.phone,
      city: p.city,
      fields: [
        ...(p.defaultAddress ? [{ label: 'Default address', value: p.defaultAddress }] : []),
        { label: 'Orders', value: String(p.totalOrders) },
      ],
    };
  }
  if (userType === 'restaurant' && user.restaurantProfile) {
    const p = user.restaurantProfile;
    return {
      ...base,
      displayName: p.name,
      phone: p.phone,
      city: p.city,
      fields: [
        { label: 'Contact', value: p.contactName },
        { label: 'Address', value: p.address },
        { label: 'Cuisine', value: p.cuisine },
      ],
    };
  }
  return null;
}

export type ProfilesService = ReturnType<typeof createProfilesService>;

export function createProfilesService(deps: { db: Db }) {
  return {
    /** The details of a driver, customer or restaurant, from the profile matching `userType`. */
    async getUserDetails(userId: string, userType: UserType): Promise<UserDetails> {
      const user = await deps.db.user.findUnique({ where: { id: userId }, select: profileSelect });
      const details = user && user.role === userType ? detailsOf(user, userType) : null;
      if (!details) throw errors.notFound('User');
      return details;
    },

    /** Name and contact of many users at once (one query), keyed by user id. */
    async getUserSummaries(users: { userId: string; userType: UserType }[]): Promise<Map<string, UserSummary>> {
      const ids = [...new Set(users.map((u) => u.userId))];
      const rows = ids.length ? await deps.db.user.findMany({ where: { id: { in: ids } }, select: profileSelect }) : [];
      const summaries = new Map<string, UserSummary>();
      for (const row of rows) {
        if (row.role === 'admin') continue;
        const details = detailsOf(row, row.role);
        if (details) {
          const { userId, userType, displayName, email, phone } = details;
          summaries.set(row.id, { userId, userType, displayName, email, phone });
        }
      }
      return summaries;
    },
  };
}
