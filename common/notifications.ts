// Notifications (e-mail, web push) and satisfaction ratings: request and response shapes shared by
// the server and the web app.
import { z } from 'zod';

export const NotificationPreferences = z.object({
  email: z.boolean(),
  push: z.boolean(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

/** The user's choices and what the server offers. */
export const NotificationPreferencesView = NotificationPreferences.extend({
  emailAvailable: z.boolean(),
  pushAvailable: z.boolean(),
  /** Devices (browsers) subscribed to push. */
  pushDevices: z.number().int(),
});
export type NotificationPreferencesView = z.infer<typeof NotificationPreferencesView>;

export const UpdateNotificationPreferences = NotificationPreferences.partial().refine(
  (value) => value.email !== undefined || value.push !== undefined,
  'Give email, push or both.',
);

export const PushPublicKey = z.object({ publicKey: z.string() });

/** A browser's PushSubscription.toJSON(). Which endpoints are accepted is the server's rule (push-endpoints.ts). */
export const PushSubscriptionRequest = z.object({
  endpoint: z.string().url().max(2000),
  keys: z.object({ p256dh: z.string().min(20).max(200), auth: z.string().min(8).max(100) }),
});
export type PushSubscriptionRequest = z.infer<typeof PushSubscriptionRequest>;

export const RemovePushSubscriptionRequest = z.object({ endpoint: z.string().url().max(2000) });

export const MAX_RATING_COMMENT_LENGTH = 1000;
/** A rating can be changed this long after it was first given. */
export const RATING_CHANGE_WINDOW_HOURS = 24;

export const RateConversationRequest = z.object({
  rating: z.number().int('Choose 1 to 5.').min(1, 'Choose 1 to 5.').max(5, 'Choose 1 to 5.'),
  comment: z.string().trim().max(MAX_RATING_COMMENT_LENGTH).optional(),
});
export type RateConversationRequest = z.infer<typeof RateConversationRequest>;

export const ConversationRatingDto = z.object({
  conversationId: z.string(),
  resolvedAt: z.string(),
  rating: z.number().int(),
  comment: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Until when the user may change it. */
  changeableUntil: z.string(),
});
export type ConversationRatingDto = z.infer<typeof ConversationRatingDto>;

/** The rating card's state: whether the current resolution can be rated, and its rating so far. */
export const RatingState = z.object({
  canRate: z.boolean(),
  rating: ConversationRatingDto.nullable(),
});
export type RatingState = z.infer<typeof RatingState>;

/** For agents: the user's channels and the conversation's latest rating. */
export const ConversationNotificationInfo = z.object({
  channels: z.object({ email: z.boolean(), push: z.boolean(), pushDevices: z.number().int() }),
  rating: ConversationRatingDto.nullable(),
});
export type ConversationNotificationInfo = z.infer<typeof ConversationNotificationInfo>;

/** How long a reply may stay unread before the user is told, and whether notifications quote it. */
export const NotificationSettings = z.object({
  delaySeconds: z
    .number({ error: 'Enter a number of seconds.' })
    .int('Use whole seconds.')
    .min(0, 'Use 0 seconds or more.')
    .max(86_400, 'At most 86400 seconds (one day).'),
  includePreview: z.boolean(),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const NotificationChannel = z.enum(['email', 'push']);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

/** A notification that gave up, as leads see it: ids, channels, counts and error codes, nothing personal. */
export const FailedNotification = z.object({
  id: z.string(),
  conversationId: z.string(),
  userId: z.string(),
  /** The channels whose delivery failed (from the error codes). */
  channels: z.array(NotificationChannel),
  /** Channels that did take it before the others gave up. */
  deliveredChannels: z.array(NotificationChannel),
  attempts: z.number().int(),
  /** Error codes, e.g. "EMAIL_550" or "EMAIL_ECONNECTION,PUSH_503"; never an address or text. */
  lastError: z.string().nullable(),
  /** When the reply that started it was written. */
  createdAt: z.string(),
  /** When the last attempt gave up. */
  failedAt: z.string(),
});
export type FailedNotification = z.infer<typeof FailedNotification>;
export const FailedNotifications = z.object({
  items: z.array(FailedNotification),
  /** All failed notifications (the list shows the newest 100). */
  total: z.number().int(),
});
export type FailedNotifications = z.infer<typeof FailedNotifications>;

export const NotificationIdParams = z.object({ notificationId: z.string().uuid() });

/** What a retry or dismissal did. "merged": a newer notification for the conversation was already waiting and now covers these replies too. */
export const FailedNotificationAction = z.object({
  id: z.string(),
  outcome: z.enum(['requeued', 'merged', 'dismissed']),
});
export type FailedNotificationAction = z.infer<typeof FailedNotificationAction>;
