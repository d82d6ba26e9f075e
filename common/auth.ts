// Wire contract of /api/auth.
import { z } from 'zod';
import { AdminPermission, UserType } from './enums.js';

export const LoginRequest = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Who is signed in. Names are shown in the app's own header only. */
export const Me = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    userId: z.string().uuid(),
    userType: UserType,
    displayName: z.string(),
  }),
  z.object({
    kind: z.literal('admin'),
    userId: z.string().uuid(),
    adminId: z.string().uuid(),
    permissions: z.array(AdminPermission),
    displayName: z.string(),
  }),
]);
export type Me = z.infer<typeof Me>;

export const TokenResponse = z.object({
  token: z.string(),
  expiresAt: z.string().datetime(),
  me: Me,
});
export type TokenResponse = z.infer<typeof TokenResponse>;
