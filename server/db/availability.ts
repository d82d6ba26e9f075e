// Which failures mean "the database cannot be reached or did not answer in time" (retry later)
// rather than a bug. The one mapping used by the HTTP error handler, the socket acks, the socket
// handshake and the write queues, so that every caller answers DATABASE_UNAVAILABLE alike.
// Also the one place that logs a database incident: once when it starts, once when it ends.

/** Any logger with pino's `warn(object, message)` (pino's and Fastify's). */
type WarnLogger = { warn(object: object, message: string): void };

import { AppError, errors } from '../errors.js';

/** Node socket errors on the way to PostgreSQL. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now (57P01-57P03),
 * query_canceled (57014: statement_timeout), too_many_connections (53300). Class 08
 * (connection exceptions) is matched by prefix.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);

/**
 * Prisma: P1001 can't reach the server, P1002 timed out, P1017 server closed the connection,
 * P2024 timed out waiting for a pooled connection, P2028 transaction API error (a transaction
 * that could not start within maxWait, or expired while the database was stuck).
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024', 'P2028']);

/** @prisma/adapter-pg's DriverAdapterError kinds for a lost or unreachable server. */
const DRIVER_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/** `pg` and `pg-pool` errors that carry no code. */
const MESSAGES = [
  /^timeout exceeded when trying to connect/i,
  /^Connection terminated/i,
  /^Query read timeout/i,
  /is not queryable/i,
];

const isUnavailableCode = (code: string) =>
  NETWORK_ERROR_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || PRISMA_CODES.has(code);

/**
 * True when `error` (a pg error, a Prisma error, or anything wrapping one as `cause` or Prisma's
 * `meta.driverAdapterError`) says the database is unreachable, went away or is stuck.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || !error || typeof error !== 'object') return false;
  if (error instanceof AppError) return false;
  const e = error as {
    code?: unknown;
    originalCode?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  for (const code of [e.code, e.originalCode]) if (typeof code === 'string' && isUnavailableCode(code)) return true;
  if (typeof e.kind === 'string' && DRIVER_ADAPTER_KINDS.has(e.kind)) return true;
  const message = e.message;
  if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1);
}

/** The AppError to answer for `error` when it is a database outage (else undefined). */
export function asDatabaseUnavailable(error: unknown): AppError | undefined {
  return isDatabaseUnavailable(error) ? errors.databaseUnavailable() : undefined;
}

/**
 * What of a database error may be logged: its code and message. Never the error object itself:
 * `pg` attaches the client (connection settings, the backend's process id and secret key).
 */
export function describeDatabaseError(error: unknown): { code?: string; message: string } {
  if (!error || typeof error !== 'object') return { message: String(error) };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    message: typeof message === 'string' ? (message.split('\n').filter(Boolean).slice(-1)[0] ?? '') : String(error),
  };
}

// One database per process, so one incident state per process: every pool, client and request
// that sees the outage reports it here, and it is logged once when it starts and once when it ends.
let incident: { since: number; failures: number } | undefined;

/** A pool, client or request saw the database fail (logged only if no incident is open yet). */
export function reportDatabaseFault(logger: WarnLogger, source: string, error: unknown): void {
  if (incident) {
    incident.failures++;
    return;
  }
  incident = { since: Date.now(), failures: 1 };
  logger.warn({ source, dbError: describeDatabaseError(error) }, 'database unavailable');
}

/** A connection to the database succeeded again: closes the open incident, if any. */
export function reportDatabaseAvailable(logger: WarnLogger, source: string): void {
  if (!incident) return;
  const { since, failures } = incident;
  incident = undefined;
  logger.warn({ source, downMs: Date.now() - since, failures }, 'database available again');
}
