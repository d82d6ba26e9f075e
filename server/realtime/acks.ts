// Client events with acks: validate the payload, apply the account's rate limit, run the handler,
// and always answer `{ ok: true, ... }` or `{ ok: false, error: { code, message } }`. A bad
// payload or a failing handler never crashes the socket or the server; a database outage answers
// `{ code: 'DATABASE_UNAVAILABLE', retryable: true }`, which the client may send again.
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { ErrorCode } from '../../common/errors.js';
import type { AckError } from '../../common/realtime.js';
import { asDatabaseUnavailable, reportDatabaseFault } from '../db/availability.js';
import { AppError } from '../errors.js';
import type { Drain } from '../platform/lifecycle/drain.js';

const failure = (code: ErrorCode, message: string, details?: unknown) => ({
  ok: false as const,
  error: { code, message, ...(details === undefined ? {} : { details }) } satisfies AckError,
});

/** The ack of a failed handler: the AppError's body (with `retryable` for 503 codes). */
const failureOf = (error: AppError) => ({ ok: false as const, error: error.toBody().error satisfies AckError });

/** What every ack event shares: the payload cap, the logger, metrics and the drain. */
export type AckContext = {
  maxPayloadBytes: number;
  logger: Logger;
  /** Told how long each event took, from arrival to ack (metrics). */
  observe?: (event: string, seconds: number) => void;
  /** Counts the handler as work in progress, which a draining process waits for. */
  drain?: Pick<Drain, 'track'>;
};

/** One kind of client event: its payload schema, its rate limit, and what it does for a socket. */
export type AckEvent<Schema extends z.ZodType, S extends Socket> = {
  schema: Schema;
  /** Throws RATE_LIMITED when the socket's account spent its budget for this kind of event. */
  limit?: (socket: S) => Promise<void>;
  handle: (socket: S, payload: z.output<Schema>) => Promise<object | undefined>;
};

/** A Socket.IO listener shared by every socket: Socket.IO calls it with `this` set to the receiving socket. */
export type SharedListener<S extends Socket> = (this: S, payload: unknown, ack: unknown) => void;

/**
 * The listener of one event, built once for all sockets: per-socket closures and option objects
 * cost a few kilobytes on every idle connection.
 */
export function ackListener<Schema extends z.ZodType, S extends Socket>(
  event: string,
  context: AckContext,
  options: AckEvent<Schema, S>,
): SharedListener<S> {
  return function onEvent(this: S, payload: unknown, ack: unknown) {
    const started = performance.now();
    const run = () =>
      handleEvent(this, payload, ack).finally(() => context.observe?.(event, (performance.now() - started) / 1000));
    void (context.drain ? context.drain.track(run) : run());
  };

  async function handleEvent(socket: S, payload: unknown, ack: unknown) {
    const reply = typeof ack === 'function' ? (ack as (result: object) => void) : () => {};
    try {
      if (Buffer.byteLength(JSON.stringify(payload ?? null)) > context.maxPayloadBytes) {
        return reply(failure(ErrorCode.PAYLOAD_TOO_LARGE, 'This message is too large.'));
      }
      await options.limit?.(socket);
      const parsed = options.schema.safeParse(payload);
      if (!parsed.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) {
          const field = issue.path.join('.') || '_';
          fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
        }
        return reply(failure(ErrorCode.VALIDATION_FAILED, `The ${event} payload is not valid.`, { fieldErrors }));
      }
      const result = await options.handle(socket, parsed.data);
      reply({ ok: true, ...result });
    } catch (error) {
      if (error instanceof AppError) return reply(failureOf(error));
      const unavailable = asDatabaseUnavailable(error);
      if (unavailable) {
        reportDatabaseFault(context.logger, 'socket event', error);
        return reply(failureOf(unavailable));
      }
      context.logger.error({ err: error, event }, 'socket event failed');
      reply(failure(ErrorCode.INTERNAL, 'Something went wrong on our side.'));
    }
  }
}
