// Enumerations shared by server and web. They mirror the Prisma enums of the same names.
import { z } from 'zod';

export const USER_TYPES = ['driver', 'customer', 'restaurant'] as const;
export const UserType = z.enum(USER_TYPES);
export type UserType = z.infer<typeof UserType>;

export const ADMIN_PERMISSIONS = ['SUPPORT_CHAT', 'SETTINGS_MANAGE', 'AUDIT_READ', 'SUPPORT_REPORTS'] as const;
export const AdminPermission = z.enum(ADMIN_PERMISSIONS);
export type AdminPermission = z.infer<typeof AdminPermission>;
