// One LISTEN connection per server process on the "auth_changes" channel. Database triggers (the
// auth_sessions migration) notify it when a session ends, an account is disabled or changes role,
// an admin's role changes, or a role's permissions change, whether the application or someone at
// the database made the change. Works with every socket adapter, since each process hears the
// notification itself and handles its own sockets.
//
// Notifications sent while the connection is down are lost, so after every (re)connect the caller
// is told to look at all of its sockets again (onConnected).
import pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';

export const ACCOUNT_CHANGES_CHANNEL = 'auth_changes';

const AccountChange = z.object({
  users: z.array(z.string()).optional(),
  sessions: z.array(z.string()).optional(),
  all: z.boolean().optional(),
});
export type AccountChange = z.infer<typeof AccountChange>;

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

export type AccountChangesListener = { close(): Promise<void> };

/** Resolves once the first attempt to listen succeeded or failed (it then retries on its own). */
export async function listenForAccountChanges(deps: {
  databaseUrl: string;
  logger: Logger;
  onChange: (change: AccountChange) => void;
  onConnected: () => void;
}): Promise<AccountChangesListener> {
  const { logger } = deps;
  let client: pg.Client | undefined;
  let closed = false;
  let backoffMs = MIN_BACKOFF_MS;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, backoffMs);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: deps.databaseUrl,
      // A LISTEN connection is idle for long stretches: find out when its peer is gone.
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    client = next;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      // Only the error code: messages may name the database host or user.
      const code = (error as { code?: string } | undefined)?.code;
      if (!closed) logger.warn({ code }, 'account changes: connection lost, reconnecting');
      next.end().catch(() => {});
      scheduleReconnect();
    };
    // Without an 'error' listener a dropped connection would crash the process.
    next.on('error', onLost);
    next.on('end', () => onLost());
    next.on('notification', (message) => {
      if (message.channel !== ACCOUNT_CHANGES_CHANNEL) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.payload ?? '');
      } catch {
        parsed = undefined;
      }
      const change = AccountChange.safeParse(parsed);
      // A payload we cannot read still means something changed: look at everything.
      deps.onChange(change.success ? change.data : { all: true });
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${ACCOUNT_CHANGES_CHANNEL}`);
      if (closed) {
        await next.end();
        return;
      }
      backoffMs = MIN_BACKOFF_MS;
      deps.onConnected();
    } catch (error) {
      onLost(error instanceof Error ? error : undefined);
    }
  }

  await connect();
  return {
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await client?.end().catch(() => {});
    },
  };
}
