// Users' notification choices and push devices; what agents and leads see of notifications.

import { ErrorCode } from '../../common/errors.js';
import type {
  ConversationNotificationInfo,
  FailedNotificationAction,
  FailedNotifications,
  NotificationChannel,
  NotificationPreferences,
  NotificationPreferencesView,
  PushSubscriptionRequest,
} from '../../common/notifications.js';
import type { Db } from '../db/client.js';
import { AppError, errors } from '../errors.js';
import { AuditAction, type AuditService } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { requirePermission, requireUser } from '../platform/rbac/rbac.js';
import { assertConversationAccess, requireSupportAdmin } from '../support/policies.js';
import { isAllowedPushEndpoint, type PushEndpointPolicy } from './push-endpoints.js';
import type { RatingsService } from './ratings.service.js';

/** More devices than anyone uses; the oldest go first. */
const MAX_PUSH_DEVICES = 10;
const FAILED_LIST_SIZE = 100;

const CHANNEL_OF_CODE: Record<string, NotificationChannel> = { EMAIL: 'email', PUSH: 'push' };

/** The channels named by the worker's error codes ("EMAIL_550,PUSH_503"). */
function failedChannels(lastError: string | null): NotificationChannel[] {
  const channels = (lastError ?? '').split(',').map((code) => CHANNEL_OF_CODE[code.split('_')[0] ?? '']);
  return [...new Set(channels.filter((channel): channel is NotificationChannel => channel !== undefined))];
}

const asChannels = (names: string[]) =>
  names.filter((name): name is NotificationChannel => name === 'email' || name === 'push');

export type NotificationsService = ReturnType<typeof createNotificationsService>;

export function createNotificationsService(deps: {
  db: Db;
  audit: AuditService;
  ratings: RatingsService;
  emailAvailable: boolean;
  vapidPublicKey: string | undefined;
  pushEndpoints: PushEndpointPolicy;
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
      if (!isAllowedPushEndpoint(subscription.endpoint, deps.pushEndpoints)) {
        throw new AppError(
          400,
          ErrorCode.PUSH_ENDPOINT_NOT_ALLOWED,
          'This browser uses a push service this server does not send to.',
        );
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
    async failed(principal: Principal): Promise<FailedNotifications> {
      requirePermission(principal, 'SETTINGS_MANAGE');
      const [rows, total] = await Promise.all([
        db.notificationOutbox.findMany({
          where: { status: 'failed' },
          orderBy: { updatedAt: 'desc' },
          take: FAILED_LIST_SIZE,
          select: {
            id: true,
            conversationId: true,
            userId: true,
            attempts: true,
            lastError: true,
            deliveredChannels: true,
            createdAt: true,
            updatedAt: true,
          },
        }),
        db.notificationOutbox.count({ where: { status: 'failed' } }),
      ]);
      return {
        total,
        items: rows.map((row) => ({
          id: row.id,
          conversationId: row.conversationId,
          userId: row.userId,
          channels: failedChannels(row.lastError),
          deliveredChannels: asChannels(row.deliveredChannels),
          attempts: row.attempts,
          lastError: row.lastError,
          createdAt: row.createdAt.toISOString(),
          failedAt: row.updatedAt.toISOString(),
        })),
      };
    },

    /**
     * Leads: try a failed notification again, with a fresh set of attempts, due now. It waits as an
     * unclaimed `sending` row (like one whose lease ended), not `pending`: a later reply must start
     * a notification of its own rather than join one whose channels partly delivered (those are not
     * repeated). If a newer notification for the conversation is already waiting, that one takes
     * these replies over instead (one notification, not two).
     */
    async retryFailed(principal: Principal, notificationId: string): Promise<FailedNotificationAction> {
      const lead = requirePermission(principal, 'SETTINGS_MANAGE');
      return db.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<
          { id: string; conversationId: string; userId: string; messageCount: number; status: string }[]
        >`SELECT id, "conversationId", "userId", "messageCount", status::text AS status FROM "NotificationOutbox"
          WHERE id = ${notificationId}::uuid FOR UPDATE`;
        if (!row) throw errors.notFound('Notification');
        if (row.status !== 'failed') {
          throw new AppError(409, ErrorCode.NOTIFICATION_NOT_FAILED, 'This notification is no longer failed.');
        }
        const merged = await tx.$executeRaw`UPDATE "NotificationOutbox"
          SET "messageCount" = "messageCount" + ${row.messageCount}, "dueAt" = LEAST("dueAt", now()), "updatedAt" = now()
          WHERE "conversationId" = ${row.conversationId}::uuid AND "userId" = ${row.userId}::uuid AND status = 'pending'`;
        if (merged > 0) {
          await tx.$executeRaw`UPDATE "NotificationOutbox" SET status = 'skipped', "lastError" = 'RETRIED_IN_NEWER',
            "updatedAt" = now() WHERE id = ${row.id}::uuid`;
        } else {
          await tx.$executeRaw`UPDATE "NotificationOutbox" SET status = 'sending', attempts = 0, "dueAt" = now(),
            "lastError" = NULL, "claimToken" = NULL, "updatedAt" = now() WHERE id = ${row.id}::uuid`;
        }
        const outcome = merged > 0 ? 'merged' : 'requeued';
        await deps.audit.log(
          AuditAction.NOTIFICATION_RETRIED,
          lead,
          { type: 'NotificationOutbox', id: row.id },
          { conversationId: row.conversationId, userId: row.userId, reason: outcome },
          tx,
        );
        return { id: row.id, outcome } as const;
      });
    },

    /** Leads: take a failed notification off the list without sending it. */
    async dismissFailed(principal: Principal, notificationId: string): Promise<FailedNotificationAction> {
      const lead = requirePermission(principal, 'SETTINGS_MANAGE');
      return db.$transaction(async (tx) => {
        const row = await tx.notificationOutbox.findUnique({
          where: { id: notificationId },
          select: { id: true, conversationId: true, userId: true },
        });
        if (!row) throw errors.notFound('Notification');
        const { count } = await tx.notificationOutbox.updateMany({
          where: { id: notificationId, status: 'failed' },
          data: { status: 'skipped', lastError: 'DISMISSED', updatedAt: new Date() },
        });
        if (count === 0) {
          throw new AppError(409, ErrorCode.NOTIFICATION_NOT_FAILED, 'This notification is no longer failed.');
        }
        await deps.audit.log(
          AuditAction.NOTIFICATION_DISMISSED,
          lead,
          { type: 'NotificationOutbox', id: row.id },
          { conversationId: row.conversationId, userId: row.userId },
          tx,
        );
        return { id: row.id, outcome: 'dismissed' as const };
      });
    },
  };
}
