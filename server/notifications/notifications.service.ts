// Users' notification choices and push devices; what agents and leads see of notifications.

import { ErrorCode } from '../../common/errors.js';
import type {
  ConversationNotificationInfo,
  NotificationPreferences,
  NotificationPreferencesView,
  PushSubscriptionRequest,
} from '../../common/notifications.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { Principal } from '../platform/auth/principal.js';
import { requirePermission, requireUser } from '../platform/rbac/rbac.js';
import { assertConversationAccess, requireSupportAdmin } from '../support/policies.js';
import type { RatingsService } from './ratings.service.js';

/** More devices than anyone uses; the oldest go first. */
const MAX_PUSH_DEVICES = 10;

export type NotificationsService = ReturnType<typeof createNotificationsService>;

export function createNotificationsService(deps: {
  db: Db;
  ratings: RatingsService;
  emailAvailable: boolean;
  vapidPublicKey: string | undefined;
}) {
  const { db } = deps;

  async function channelsOf(userId: string) {
    const [preference, pushDevices] = await Promise.all([
      db.notificationPreference.findUnique({ where: { userId } }),
      db.pushSubscription.count({ where: { userId } }),
    ]);
    return { email: preference?.email ?? true, push: preference?.push ?? true, pushDevices };
  }

  async function preferences(principal: Principal): Promise<NotificationPreferencesView> {
    const user = requireUser(principal);
    const channels = await channelsOf(user.userId);
    return {
      ...channels,
      emailAvailable: deps.emailAvailable,
      pushAvailable: deps.vapidPublicKey !== undefined,
    };
  }

  return {
    preferences,

    async updatePreferences(
      principal: Principal,
      changes: Partial<NotificationPreferences>,
    ): Promise<NotificationPreferencesView> {
      const user = requireUser(principal);
      await db.notificationPreference.upsert({
        where: { userId: user.userId },
        create: { userId: user.userId, ...changes },
        update: { ...changes, updatedAt: new Date() },
      });
      return preferences(principal);
    },

    pushPublicKey(principal: Principal): { publicKey: string } {
      requireUser(principal);
      if (!deps.vapidPublicKey) {
        throw new AppError(503, ErrorCode.PUSH_NOT_CONFIGURED, 'Push notifications are not available on this server.');
      }
      return { publicKey: deps.vapidPublicKey };
    },

    /** Stores the device (again: an endpoint moves to the signed-in user) and turns push on. */
    async subscribePush(
      principal: Principal,
      subscription: PushSubscriptionRequest,
    ): Promise<NotificationPreferencesView> {
      const user = requireUser(principal);
      if (!deps.vapidPublicKey) {
        throw new AppError(503, ErrorCode.PUSH_NOT_CONFIGURED, 'Push notifications are not available on this server.');
      }
      const data = { userId: user.userId, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth };
      await db.$transaction(async (tx) => {
        await tx.pushSubscription.upsert({
          where: { endpoint: subscription.endpoint },
          create: { endpoint: subscription.endpoint, ...data },
          update: data,
        });
        const extra = await tx.pushSubscription.findMany({
          where: { userId: user.userId },
          orderBy: { createdAt: 'desc' },
          skip: MAX_PUSH_DEVICES,
          select: { id: true },
        });
        if (extra.length > 0) await tx.pushSubscription.deleteMany({ where: { id: { in: extra.map((s) => s.id) } } });
        await tx.notificationPreference.upsert({
          where: { userId: user.userId },
          create: { userId: user.userId, push: true },
          update: { push: true, updatedAt: new Date() },
        });
      });
      return preferences(principal);
    },

    async unsubscribePush(principal: Principal, endpoint: string): Promise<NotificationPreferencesView> {
      const user = requireUser(principal);
      await db.pushSubscription.deleteMany({ where: { endpoint, userId: user.userId } });
      return preferences(principal);
    },

    /** For agents, next to the conversation: the user's channels and the latest rating. */
    async conversationInfo(principal: Principal, conversationId: string): Promise<ConversationNotificationInfo> {
      requireSupportAdmin(principal);
      const conversation = await db.supportConversation.findUnique({
        where: { id: conversationId },
        select: { userId: true },
      });
      assertConversationAccess(principal, conversation);
      const [channels, rating] = await Promise.all([
        channelsOf(conversation.userId),
        deps.ratings.latest(conversationId),
      ]);
      return {
        channels: {
          email: deps.emailAvailable && channels.email,
          push: deps.vapidPublicKey !== undefined && channels.push && channels.pushDevices > 0,
          pushDevices: channels.pushDevices,
        },
        rating,
      };
    },

    /** Leads (SETTINGS_MANAGE): notifications that gave up, newest first. Ids and error codes only. */
    async failed(principal: Principal) {
      requirePermission(principal, 'SETTINGS_MANAGE');
      const rows = await db.notificationOutbox.findMany({
        where: { status: 'failed' },
        orderBy: { updatedAt: 'desc' },
        take: 100,
        select: { id: true, conversationId: true, userId: true, attempts: true, lastError: true, updatedAt: true },
      });
      return { items: rows.map((row) => ({ ...row, updatedAt: row.updatedAt.toISOString() })) };
    },
  };
}
