// Notification settings from the environment (server/config.ts parses the variables).
import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';

export type NotificationConfig = {
  /** Where links in notifications point (the app's public origin). */
  publicUrl: string;
  /** Unset: e-mail is off. */
  smtpUrl: string | undefined;
  emailFrom: string;
  /** Unset: web push is off (production without VAPID keys). */
  vapid: { publicKey: string; privateKey: string; subject: string } | undefined;
  pollIntervalMs: number;
  maxAttempts: number;
  retryBaseMs: number;
};

type NotificationEnv = {
  NODE_ENV: string;
  SMTP_URL?: string | undefined;
  EMAIL_FROM: string;
  VAPID_PUBLIC_KEY?: string | undefined;
  VAPID_PRIVATE_KEY?: string | undefined;
  VAPID_SUBJECT: string;
  NOTIFICATION_POLL_INTERVAL_MS: number;
  NOTIFICATION_MAX_ATTEMPTS: number;
  NOTIFICATION_RETRY_BASE_MS: number;
};

const VapidKeys = z.object({ publicKey: z.string().min(20), privateKey: z.string().min(20) });

/** Outside production, keys that are not configured are generated once and kept in DATA_DIR. */
function loadOrCreateDevVapidKeys(dataDir: string): { publicKey: string; privateKey: string } {
  const file = path.join(dataDir, 'vapid-keys.json');
  if (fs.existsSync(file)) {
    const parsed = VapidKeys.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  }
  const keys = webpush.generateVAPIDKeys();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

export function notificationConfig(e: NotificationEnv, dataDir: string, publicUrl: string): NotificationConfig {
  let vapid: NotificationConfig['vapid'];
  if (e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY) {
    vapid = { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT };
  } else if (e.NODE_ENV !== 'production') {
    vapid = { ...loadOrCreateDevVapidKeys(dataDir), subject: e.VAPID_SUBJECT };
  }
  return {
    publicUrl,
    smtpUrl: e.SMTP_URL,
    emailFrom: e.EMAIL_FROM,
    vapid,
    pollIntervalMs: e.NOTIFICATION_POLL_INTERVAL_MS,
    maxAttempts: e.NOTIFICATION_MAX_ATTEMPTS,
    retryBaseMs: e.NOTIFICATION_RETRY_BASE_MS,
  };
}
