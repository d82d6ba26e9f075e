// The outbox worker: runs in every server process; the processes share the work through
// PostgreSQL. A claim (FOR UPDATE SKIP LOCKED, then a lease written in the same statement) gives
// each due row to exactly one worker; a worker that dies mid-delivery loses its lease and another
// takes the row over when it ends (at least once). Results are written only while the claim token
// still matches, so a late worker cannot overwrite a newer decision.
//
// For each claimed row: if the user has read the newest reply, or has a socket open (sees it in the
// app), nothing is sent; otherwise every channel the user has on and that has not taken this
// notification yet delivers it. Failures retry with exponential backoff and jitter; after the last
// attempt the row is marked failed (leads list them). Old finished rows are pruned.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { UserType } from '../../common/enums.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import { type Channel, ChannelError, type ChannelName, type NotificationContent } from './channels.js';
import { conversationLink } from './links.js';
import type { NotificationSettingsStore } from './notification-settings.js';

/** How long a claimed row is the claimer's; longer than any delivery may take. */
const LEASE_MS = 60_000;
const BATCH_SIZE = 50;
/** Deliveries running at once in one process. */
const CONCURRENCY = 10;
const MAX_BACKOFF_MS = 6 * 3600_000;
const PREVIEW_LENGTH = 140;
/** Finished rows are kept this long (failed ones for the leads' list), then pruned. */
const KEEP_FINISHED_DAYS = 30;
const PRUNE_EVERY_MS = 3600_000;
const PRUNE_BATCH = 1000;

type Claimed = {
  id: string;
  conversationId: string;
  userId: string;
  lastMessageId: string;
  messageCount: number;
  attempts: number;
  claimToken: string;
  deliveredChannels: ChannelName[];
};

type Context = {
  subject: string | null;
  userType: UserType;
  lastRead: boolean;
  body: string | null;
  agentName: string | null;
  email: string;
  emailOn: boolean;
  pushOn: boolean;
  pushDevices: number;
};

export type NotificationWorkerOptions = {
  pollIntervalMs: number;
  maxAttempts: number;
  retryBaseMs: number;
};

export type NotificationWorker = ReturnType<typeof createNotificationWorker>;

/** Delay before retry number `attempt` (1-based): base * 2^(attempt-1), jittered to 50–100 %. */
export function retryDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  const exponential = Math.min(baseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

export function createNotificationWorker(deps: {
  pool: pg.Pool;
  logger: Logger;
  channels: Channel[];
  settings: NotificationSettingsStore;
  publicUrl: string;
  /** True while the user has a socket open on any server process. */
  isOnline(userId: string): Promise<boolean>;
  options: NotificationWorkerOptions;
}) {
  const { pool, logger, options } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;
  let lastPrune = 0;
  /** Read once per pass, not per notification. */
  let passSettings: ReturnType<NotificationSettingsStore['get']> | undefined;
  const settingsOfPass = () => {
    passSettings ??= deps.settings.get();
    return passSettings;
  };

  async function claim(): Promise<Claimed[]> {
    const { rows } = await pool.query<Claimed>({
      name: 'notifications-claim',
      text: `WITH due AS (
               SELECT id FROM "NotificationOutbox"
               WHERE status IN ('pending', 'sending') AND "dueAt" <= now()
               ORDER BY "dueAt" LIMIT $1
               FOR UPDATE SKIP LOCKED
             )
             UPDATE "NotificationOutbox" o
             SET status = 'sending', "claimToken" = gen_random_uuid(), attempts = o.attempts + 1,
                 "dueAt" = now() + make_interval(secs => $2::double precision / 1000), "updatedAt" = now()
             FROM due WHERE o.id = due.id
             RETURNING o.id, o."conversationId", o."userId", o."lastMessageId", o."messageCount", o.attempts,
                       o."claimToken", o."deliveredChannels"`,
      values: [BATCH_SIZE, LEASE_MS],
    });
    return rows;
  }

  async function loadContext(row: Claimed): Promise<Context | undefined> {
    const { rows } = await pool.query<Context>({
      name: 'notifications-context',
      text: `SELECT c.subject, c."userType", m.read AS "lastRead", m.body, sender."displayName" AS "agentName",
                    u.email, COALESCE(p.email, true) AS "emailOn", COALESCE(p.push, true) AS "pushOn",
                    (SELECT count(*)::int FROM "PushSubscription" s WHERE s."userId" = c."userId") AS "pushDevices"
             FROM "SupportConversation" c
             JOIN "SupportMessage" m ON m.id = $2 AND m."conversationId" = c.id
             JOIN "User" u ON u.id = c."userId"
             LEFT JOIN "AdminProfile" sender ON sender.id = m."senderAdminId"
             LEFT JOIN "NotificationPreference" p ON p."userId" = c."userId"
             WHERE c.id = $1`,
      values: [row.conversationId, row.lastMessageId],
    });
    return rows[0];
  }

  /** Writes the outcome while the claim is still ours. */
  async function finish(row: Claimed, status: 'sent' | 'skipped' | 'failed', reason: string | null) {
    await pool.query(
      `UPDATE "NotificationOutbox" SET status = $3, "lastError" = $4, "claimToken" = NULL, "updatedAt" = now()
       WHERE id = $1 AND "claimToken" = $2`,
      [row.id, row.claimToken, status, reason],
    );
  }

  async function scheduleRetry(row: Claimed, reason: string) {
    if (row.attempts >= options.maxAttempts) {
      await finish(row, 'failed', reason);
      logger.warn({ notificationId: row.id, attempts: row.attempts, reason }, 'notification failed for good');
      return;
    }
    const delay = retryDelayMs(row.attempts, options.retryBaseMs);
    await pool.query(
      `UPDATE "NotificationOutbox"
       SET "dueAt" = now() + make_interval(secs => $3::double precision / 1000), "lastError" = $4,
           "claimToken" = NULL, "updatedAt" = now()
       WHERE id = $1 AND "claimToken" = $2`,
      [row.id, row.claimToken, delay, reason],
    );
  }

  async function handle(row: Claimed) {
    const context = await loadContext(row);
    if (!context) return finish(row, 'skipped', 'GONE');
    if (context.lastRead) return finish(row, 'skipped', 'READ');
    if (await deps.isOnline(row.userId)) return finish(row, 'skipped', 'ONLINE');
    const wanted = deps.channels.filter(
      (channel) =>
        !row.deliveredChannels.includes(channel.name) &&
        (channel.name === 'email' ? context.emailOn : context.pushOn && context.pushDevices > 0),
    );
    if (wanted.length === 0) {
      return finish(
        row,
        row.deliveredChannels.length > 0 ? 'sent' : 'skipped',
        row.deliveredChannels.length > 0 ? null : 'NO_CHANNEL',
      );
    }
    const settings = await settingsOfPass();
    const content: NotificationContent = {
      notificationId: row.id,
      conversationId: row.conversationId,
      userId: row.userId,
      email: context.email,
      agentName: context.agentName ?? 'Support',
      topic: context.subject,
      messageCount: row.messageCount,
      preview: settings.includePreview && context.body ? context.body.slice(0, PREVIEW_LENGTH) : null,
      link: conversationLink(deps.publicUrl, context.userType, row.conversationId),
    };
    // Every failing channel's code, so leads see which channels failed ("EMAIL_550,PUSH_503").
    const failures: string[] = [];
    for (const channel of wanted) {
      try {
        await channel.deliver(content);
        await pool.query(
          `UPDATE "NotificationOutbox" SET "deliveredChannels" = array_append("deliveredChannels", $3)
           WHERE id = $1 AND "claimToken" = $2`,
          [row.id, row.claimToken, channel.name],
        );
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        failures.push(error.code);
      }
    }
    if (failures.length > 0) await scheduleRetry(row, failures.join(','));
    else await finish(row, 'sent', null);
  }

  /** Deletes finished rows older than KEEP_FINISHED_DAYS (one batch); resolves with how many. */
  async function prune(): Promise<number> {
    lastPrune = Date.now();
    const { rowCount } = await pool.query(
      `DELETE FROM "NotificationOutbox" WHERE id IN (
         SELECT id FROM "NotificationOutbox"
         WHERE status IN ('sent', 'skipped', 'failed') AND "updatedAt" < now() - make_interval(days => $1)
         LIMIT $2)`,
      [KEEP_FINISHED_DAYS, PRUNE_BATCH],
    );
    return rowCount ?? 0;
  }

  /** One pass: claims what is due and delivers it. Resolves with the number of rows handled. */
  async function runOnce(): Promise<number> {
    passSettings = undefined;
    let handled = 0;
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) break;
      const queue = [...rows];
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
          for (let row = queue.shift(); row; row = queue.shift()) {
            try {
              await handle(row);
            } catch (error) {
              // Not a channel's answer (e.g. the database): the lease runs out and the row is retried.
              logger.warn(
                { notificationId: row.id, code: (error as { code?: string }).code },
                'notification not processed',
              );
            }
          }
        }),
      );
      handled += rows.length;
      if (rows.length < BATCH_SIZE || stopped) break;
    }
    if (Date.now() - lastPrune >= PRUNE_EVERY_MS) await prune();
    return handled;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error) => {
          if (!isDatabaseUnavailable(error)) {
            logger.error({ code: (error as { code?: string }).code }, 'notification worker pass failed');
          }
          return 0;
        })
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.pollIntervalMs);
    timer.unref();
  }

  return {
    runOnce,
    prune,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      for (const channel of deps.channels) channel.close?.();
    },
  };
}
