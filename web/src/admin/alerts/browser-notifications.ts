// Browser notifications (the Notification API). Permission is asked only from the Alerts menu's
// button (a click), never on page load; without permission nothing is shown.
import type { Alert } from './decide';

export type NotificationPermissionState = NotificationPermission | 'unsupported';

export function notificationPermission(): NotificationPermissionState {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification.permission : 'unsupported';
}

export async function requestNotificationPermission(): Promise<NotificationPermissionState> {
  if (notificationPermission() === 'unsupported') return 'unsupported';
  return window.Notification.requestPermission();
}

/** Shows the alert; a click focuses this tab and opens the conversation. */
export function showNotification(alert: Alert, onClick: (conversationId: string) => void) {
  if (notificationPermission() !== 'granted') return;
  try {
    // The tag merges the copies that every open tab of the agent would show.
    const notification = new window.Notification(alert.title, { body: alert.body, tag: alert.key });
    notification.onclick = () => {
      window.focus();
      onClick(alert.conversationId);
      notification.close();
    };
  } catch {
    // Some browsers (Android Chrome) allow notifications only from a service worker: skip.
  }
}
