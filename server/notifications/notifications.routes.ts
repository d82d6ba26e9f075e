// HTTP routes of notifications and satisfaction ratings. Thin: parse, call the service (which
// authorises), shape.
//   /api/notifications/...                                  the signed-in user's channels and devices
//   /api/support/conversations/:conversationId/rating       the conversation's user (CSAT)
//   /api/admin/notifications/...                            leads (SETTINGS_MANAGE)
//   /api/admin/support/conversations/:conversationId/notifications   SUPPORT_CHAT admins
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponse } from '../../common/errors.js';
import {
  ConversationNotificationInfo,
  ConversationRatingDto,
  FailedNotificationAction,
  FailedNotifications,
  NotificationIdParams,
  NotificationPreferencesView,
  NotificationSettings,
  PushPublicKey,
  PushSubscriptionRequest,
  RateConversationRequest,
  RatingState,
  RemovePushSubscriptionRequest,
  UpdateNotificationPreferences,
} from '../../common/notifications.js';
import { ConversationIdParams } from '../../common/support.js';
import { requirePermission } from '../platform/rbac/rbac.js';
import type { NotificationSettingsStore } from './notification-settings.js';
import type { NotificationsService } from './notifications.service.js';
import type { RatingsService } from './ratings.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function notificationRoutes(app: FastifyInstance, options: { notifications: NotificationsService }) {
  const { notifications } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];

  routes.get('/preferences', {
    schema: {
      tags,
      summary: "The caller's notification channels",
      security: bearer,
      response: { 200: NotificationPreferencesView, ...failures },
    },
    handler: (request) => notifications.preferences(request.principal),
  });

  routes.put('/preferences', {
    schema: {
      tags,
      summary: 'Turn e-mail or push notifications on or off',
      security: bearer,
      body: UpdateNotificationPreferences,
      response: { 200: NotificationPreferencesView, ...failures },
    },
    handler: (request) => notifications.updatePreferences(request.principal, request.body),
  });

  routes.get('/push/public-key', {
    schema: {
      tags,
      summary: "The server's VAPID public key",
      security: bearer,
      response: { 200: PushPublicKey, ...failures, 503: ErrorResponse },
    },
    handler: (request) => notifications.pushPublicKey(request.principal),
  });

  routes.post('/push/subscriptions', {
    schema: {
      tags,
      summary: "Store this device's push subscription (and turn push on)",
      security: bearer,
      body: PushSubscriptionRequest,
      response: { 200: NotificationPreferencesView, ...failures, 503: ErrorResponse },
    },
    handler: (request) => notifications.subscribePush(request.principal, request.body),
  });

  routes.delete('/push/subscriptions', {
    schema: {
      tags,
      summary: "Remove this device's push subscription",
      security: bearer,
      body: RemovePushSubscriptionRequest,
      response: { 200: NotificationPreferencesView, ...failures },
    },
    handler: (request) => notifications.unsubscribePush(request.principal, request.body.endpoint),
  });
}

export async function ratingRoutes(app: FastifyInstance, options: { ratings: RatingsService }) {
  const { ratings } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/conversations/:conversationId/rating', {
    schema: {
      tags: ['support'],
      summary: 'The rating card: may the caller rate this resolution, and their rating so far',
      security: bearer,
      params: ConversationIdParams,
      response: { 200: RatingState, ...failures },
    },
    handler: (request) => ratings.state(request.principal, request.params.conversationId),
  });

  routes.put('/conversations/:conversationId/rating', {
    schema: {
      tags: ['support'],
      summary: 'Rate the resolution of the caller’s own conversation (1–5, optional comment)',
      security: bearer,
      params: ConversationIdParams,
      body: RateConversationRequest,
      response: { 200: ConversationRatingDto, ...failures, 409: ErrorResponse },
    },
    handler: (request) => ratings.rate(request.principal, request.params.conversationId, request.body),
  });
}

export async function adminNotificationRoutes(
  app: FastifyInstance,
  options: { notifications: NotificationsService; settings: NotificationSettingsStore },
) {
  const { notifications, settings } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];

  routes.get('/notifications/settings', {
    schema: {
      tags,
      summary: 'Notification delay and preview setting',
      security: bearer,
      response: { 200: NotificationSettings, ...failures },
    },
    handler: (request) => {
      requirePermission(request.principal, 'SETTINGS_MANAGE');
      return settings.get();
    },
  });

  routes.put('/notifications/settings', {
    schema: {
      tags,
      summary: 'Change the notification delay and preview setting',
      security: bearer,
      body: NotificationSettings,
      response: { 200: NotificationSettings, ...failures },
    },
    handler: (request) => settings.update(requirePermission(request.principal, 'SETTINGS_MANAGE'), request.body),
  });

  routes.get('/notifications/failed', {
    schema: {
      tags,
      summary: 'Notifications that gave up after the last attempt',
      security: bearer,
      response: { 200: FailedNotifications, ...failures },
    },
    handler: (request) => notifications.failed(request.principal),
  });

  routes.post('/notifications/failed/:notificationId/retry', {
    schema: {
      tags,
      summary: 'Try a failed notification again (fresh attempts, due now); audited',
      security: bearer,
      params: NotificationIdParams,
      response: { 200: FailedNotificationAction, ...failures, 409: ErrorResponse },
    },
    handler: (request) => notifications.retryFailed(request.principal, request.params.notificationId),
  });

  routes.post('/notifications/failed/:notificationId/dismiss', {
    schema: {
      tags,
      summary: 'Take a failed notification off the list without sending it; audited',
      security: bearer,
      params: NotificationIdParams,
      response: { 200: FailedNotificationAction, ...failures, 409: ErrorResponse },
    },
    handler: (request) => notifications.dismissFailed(request.principal, request.params.notificationId),
  });

  routes.get('/support/conversations/:conversationId/notifications', {
    schema: {
      tags,
      summary: "The conversation user's notification channels and the latest rating",
      security: bearer,
      params: ConversationIdParams,
      response: { 200: ConversationNotificationInfo, ...failures },
    },
    handler: (request) => notifications.conversationInfo(request.principal, request.params.conversationId),
  });
}
