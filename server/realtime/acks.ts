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

export function registerAckHandler<Schema extends z.ZodType>(
  socket: Socket,
  event: string,
  options: {
    schema: Schema;
    maxPayloadBytes: number;
    logger: Logger;
    /** Throws RATE_LIMITED when the account spent its budget for this kind of event. */
    limit?: () => Promise<void>;
    /** Told how long each event took, from arrival to ack (metrics). */
    observe?: (event: string, seconds: number) => void;
    /** Counts the handler as work in progress, which a draining process waits for. */
    drain?: Pick<Drain, 'track'>;
    handle: (payload: z.output<Schema>) => Promise<object | undefined>;
  },
): void {
  socket.on(event, (payload: unknown, ack: unknown) => {
    const started = performance.now();
    const run = () =>
      handleEvent(payload, ack).finally(() => options.observe?.(event, (performance.now() - started) / 1000));
    void (options.drain ? options.drain.track(run) : run());
  });

  async function handleEvent(payload: unknown, ack: unknown) {
    const reply = typeof ack === 'function' ? (ack as (result: object) => void) : () => {};
    try {
      if (Buffer.byteLength(JSON.stringify(payload ?? null)) > options.maxPayloadBytes) {
        return reply(failure(ErrorCode.PAYLOAD_TOO_LARGE, 'This message is too large.'));
      }
      await options.limit?.();
      const parsed = options.schema.safeParse(payload);
      if (!parsed.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) {
          const field = issue.path.join('.') || '_';
          fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
        }
        return reply(failure(ErrorCode.VALIDATION_FAILED, `The ${event} payload is not valid.`, { fieldErrors }));
      }
      const result = await options.handle(parsed.data);
      reply({ ok: true, ...result });
    } catch (error) {
      if (error instanceof AppError) return reply(failureOf(error));
      const unavailable = asDatabaseUnavailable(error);
      if (unavailable) {
        reportDatabaseFault(options.logger, 'socket event', error);
        return reply(failureOf(unavailable));
      }
      options.logger.error({ err: error, event }, 'socket event failed');
      reply(failure(ErrorCode.INTERNAL, 'Something went wrong on our side.'));
    }
  }
}
