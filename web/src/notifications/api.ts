// Typed calls to the notifications and rating endpoints (shapes in common/notifications.ts).
import type {
  ConversationNotificationInfo,
  ConversationRatingDto,
  FailedNotificationAction,
  FailedNotifications,
  NotificationPreferences,
  NotificationPreferencesView,
  NotificationSettings,
  PushSubscriptionRequest,
  RateConversationRequest,
  RatingState,
} from '../../../common/notifications';
import { apiFetch } from '../api/api-fetch';

const id = encodeURIComponent;

export const notificationsApi = {
  preferences: () => apiFetch<NotificationPreferencesView>('/api/notifications/preferences'),
  updatePreferences: (body: Partial<NotificationPreferences>) =>
    apiFetch<NotificationPreferencesView>('/api/notifications/preferences', { method: 'PUT', body }),
  pushPublicKey: () => apiFetch<{ publicKey: string }>('/api/notifications/push/public-key'),
  subscribePush: (body: PushSubscriptionRequest) =>
    apiFetch<NotificationPreferencesView>('/api/notifications/push/subscriptions', { method: 'POST', body }),
  unsubscribePush: (endpoint: string) =>
    apiFetch<NotificationPreferencesView>('/api/notifications/push/subscriptions', {
      method: 'DELETE',
      body: { endpoint },
    }),
  ratingState: (conversationId: string) =>
    apiFetch<RatingState>(`/api/support/conversations/${id(conversationId)}/rating`),
  rate: (conversationId: string, body: RateConversationRequest) =>
    apiFetch<ConversationRatingDto>(`/api/support/conversations/${id(conversationId)}/rating`, {
      method: 'PUT',
      body,
    }),
  conversationInfo: (conversationId: string) =>
    apiFetch<ConversationNotificationInfo>(`/api/admin/support/conversations/${id(conversationId)}/notifications`),
  settings: () => apiFetch<NotificationSettings>('/api/admin/notifications/settings'),
  updateSettings: (body: NotificationSettings) =>
    apiFetch<NotificationSettings>('/api/admin/notifications/settings', { method: 'PUT', body }),
  failed: () => apiFetch<FailedNotifications>('/api/admin/notifications/failed'),
  retryFailed: (notificationId: string) =>
    apiFetch<FailedNotificationAction>(`/api/admin/notifications/failed/${id(notificationId)}/retry`, {
      method: 'POST',
    }),
  dismissFailed: (notificationId: string) =>
    apiFetch<FailedNotificationAction>(`/api/admin/notifications/failed/${id(notificationId)}/dismiss`, {
      method: 'POST',
    }),
};

export const notificationKeys = {
  preferences: ['notifications', 'preferences'] as const,
  rating: (conversationId: string) => ['notifications', 'rating', conversationId] as const,
  conversationInfo: (conversationId: string) => ['notifications', 'conversation', conversationId] as const,
  settings: ['admin', 'notifications', 'settings'] as const,
  failed: ['admin', 'notifications', 'failed'] as const,
};
