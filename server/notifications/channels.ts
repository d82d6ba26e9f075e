// Delivery channels. Each takes a notification's content and delivers it, or throws a
// ChannelError whose code (never an address, endpoint or text) ends up in the outbox row.
import nodemailer from 'nodemailer';
import type pg from 'pg';
import webpush from 'web-push';
import type { NotificationConfig } from './notification-config.js';
import { isAllowedPushEndpoint } from './push-endpoints.js';

export type ChannelName = 'email' | 'push';

export type NotificationContent = {
  /** The outbox row's id: the idempotency key of every delivery of this notification. */
  notificationId: string;
  conversationId: string;
  userId: string;
  email: string;
  agentName: string;
  topic: string | null;
  messageCount: number;
  /** The newest reply's text, only where the includePreview setting is on. */
  preview: string | null;
  /** Opens the conversation in the user's app (after sign-in). */
  link: string;
};

export class ChannelError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export type Channel = {
  name: ChannelName;
  deliver(content: NotificationContent): Promise<void>;
  /** Ends kept-open connections (on shutdown). */
  close?(): void;
};

const SEND_TIMEOUT_MS = 20_000;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function emailSubject(content: NotificationContent): string {
  return `${content.agentName} replied${content.topic ? `: ${content.topic}` : ' to your support conversation'}`;
}

function emailText(content: NotificationContent): string {
  const topic = content.topic ? `"${content.topic}"` : 'with support';
  const more = content.messageCount > 1 ? ` (${content.messageCount} new replies)` : '';
  return [
    'Hello,',
    '',
    `${content.agentName} from support replied to your conversation ${topic}${more}.`,
    ...(content.preview ? ['', `"${content.preview}"`] : []),
    '',
    `Open the conversation: ${content.link}`,
    '',
    '-- ',
    'Support Chat. You get this e-mail because e-mail notifications are on in your support chat;',
    'turn them off there under "Notifications".',
  ].join('\n');
}

function emailHtml(content: NotificationContent): string {
  const topic = content.topic ? `&ldquo;${escapeHtml(content.topic)}&rdquo;` : 'with support';
  const more = content.messageCount > 1 ? ` (${content.messageCount} new replies)` : '';
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">
<p style="font-weight:600;color:#0f766e">Support Chat</p>
<p>${escapeHtml(content.agentName)} from support replied to your conversation ${topic}${more}.</p>
${content.preview ? `<blockquote style="border-left:3px solid #d1d5db;margin:0;padding-left:12px">${escapeHtml(content.preview)}</blockquote>` : ''}
<p><a href="${escapeHtml(content.link)}">Open the conversation</a></p>
<p style="font-size:12px;color:#6b7280">You get this e-mail because e-mail notifications are on in your support chat; turn them off there under &ldquo;Notifications&rdquo;.</p>
</body></html>`;
}

/** E-mail through SMTP. The Message-ID is derived from the notification, so a retried delivery is recognisable as the same message. */
export function createEmailChannel(config: NotificationConfig): Channel | null {
  if (!config.smtpUrl) return null;
  // Pooled: a few kept-open connections instead of a new SMTP session per e-mail.
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: 5,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  const domain = new URL(config.publicUrl).hostname || 'localhost';
  return {
    name: 'email',
    async deliver(content) {
      try {
        await transport.sendMail({
          from: config.emailFrom,
          to: content.email,
          subject: emailSubject(content),
          text: emailText(content),
          html: emailHtml(content),
          messageId: `<notification-${content.notificationId}@${domain}>`,
          headers: { 'X-Notification-Id': content.notificationId, 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        const code =
          (error as { responseCode?: number; code?: string }).responseCode ?? (error as { code?: string }).code;
        throw new ChannelError(`EMAIL_${code ?? 'FAILED'}`);
      }
    },
    close: () => transport.close(),
  };
}

/** What the service worker receives (web/public/sw.js shows it). */
export type PushPayload = { title: string; body: string; url: string; tag: string; notificationId: string };

/**
 * Web push to every device the user subscribed. A device the push service calls gone (404/410) is
 * removed; any other failure fails the delivery (retried later; Topic makes the push service
 * replace an undelivered copy instead of showing two). A device whose endpoint the allow-list no
 * longer covers (the list changed since it subscribed) is removed without a request: the server
 * never posts outside the list.
 */
export function createPushChannel(config: NotificationConfig, pool: pg.Pool): Channel | null {
  const vapid = config.vapid;
  if (!vapid) return null;
  return {
    name: 'push',
    async deliver(content) {
      const { rows } = await pool.query<{ id: string; endpoint: string; p256dh: string; auth: string }>(
        'SELECT id, endpoint, p256dh, auth FROM "PushSubscription" WHERE "userId" = $1',
        [content.userId],
      );
      const payload: PushPayload = {
        title: `${content.agentName} replied`,
        body: content.preview ?? (content.topic ? `About: ${content.topic}` : 'You have a new reply from support.'),
        url: content.link,
        tag: `conversation-${content.conversationId}`,
        notificationId: content.notificationId,
      };
      let failure: string | null = null;
      for (const subscription of rows) {
        if (!isAllowedPushEndpoint(subscription.endpoint, config.pushEndpoints)) {
          await pool.query('DELETE FROM "PushSubscription" WHERE id = $1', [subscription.id]);
          continue;
        }
        try {
          await webpush.sendNotification(
            { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
            JSON.stringify(payload),
            {
              vapidDetails: vapid,
              TTL: 24 * 3600,
              urgency: 'normal',
              topic: content.notificationId.replaceAll('-', ''),
              timeout: SEND_TIMEOUT_MS,
            },
          );
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          if (status === 404 || status === 410) {
            await pool.query('DELETE FROM "PushSubscription" WHERE id = $1', [subscription.id]);
          } else {
            failure = `PUSH_${status ?? 'FAILED'}`;
          }
        }
      }
      if (failure) throw new ChannelError(failure);
    },
  };
}
