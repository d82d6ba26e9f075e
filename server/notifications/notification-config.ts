// Notification settings from the environment (server/config.ts parses the variables).
import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';
import { type PushEndpointPolicy, parsePushEndpointHosts } from './push-endpoints.js';

export type NotificationConfig = {
  /** Where links in notifications point (the app's public origin). */
  publicUrl: string;
  /** Unset: e-mail is off. */
  smtpUrl: string | undefined;
  emailFrom: string;
  /** Unset: web push is off (WEB_PUSH=off). */
  vapid: { publicKey: string; privateKey: string; subject: string } | undefined;
  /** Where push deliveries may go (push-endpoints.ts). */
  pushEndpoints: PushEndpointPolicy;
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
  WEB_PUSH: 'on' | 'off';
  PUSH_ENDPOINT_HOSTS?: string | undefined;
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

/** Thrown for a configuration the server must not start with (server/config.ts reports it). */
export class NotificationConfigError extends Error {}

/**
 * Web push is on unless WEB_PUSH=off. Production must bring its own VAPID keys: generated keys
 * would differ per machine and change with the data folder, silently breaking every subscription.
 */
function vapidOf(e: NotificationEnv, dataDir: string): NotificationConfig['vapid'] {
  if (e.WEB_PUSH === 'off') return undefined;
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY)) {
    throw new NotificationConfigError('Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither.');
  }
  if (e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY) {
    return { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT };
  }
  if (e.NODE_ENV === 'production') {
    throw new NotificationConfigError(
      'Production needs VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY for web push (create a pair with ' +
        '`npx web-push generate-vapid-keys`), or WEB_PUSH=off to run without push notifications.',
    );
  }
  return { ...loadOrCreateDevVapidKeys(dataDir), subject: e.VAPID_SUBJECT };
}

export function notificationConfig(e: NotificationEnv, dataDir: string, publicUrl: string): NotificationConfig {
  const vapid = vapidOf(e, dataDir);
  return {
    publicUrl,
    smtpUrl: e.SMTP_URL,
    emailFrom: e.EMAIL_FROM,
    vapid,
    pushEndpoints: { hosts: parsePushEndpointHosts(e.PUSH_ENDPOINT_HOSTS) },
    pollIntervalMs: e.NOTIFICATION_POLL_INTERVAL_MS,
    maxAttempts: e.NOTIFICATION_MAX_ATTEMPTS,
    retryBaseMs: e.NOTIFICATION_RETRY_BASE_MS,
  };
}
