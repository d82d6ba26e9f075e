// Writes that arrive while earlier ones are being written wait and go together into the next
// batch, so that under load one statement or transaction (one commit) covers many of them; alone, a
// write goes at once. Used by the message sends (text-message-write.ts) and the conversation
// creations (conversation-open.ts): they differ in what a batch writes, not in how batches form,
// fail and retry.
import { isDatabaseUnavailable } from '../db/availability.js';
import type { AppError } from '../errors.js';

/** What one item of a batch came to: its result, or its own error (the others still succeed). */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export type WriteBatcherOptions<I, R> = {
  /** Writes the items together; one outcome per item, in order. A throw fails the whole batch. */
  write(items: readonly I[]): Promise<BatchOutcome<R>[]>;
  /** Batches in flight at once. */
  maxInFlight: number;
  maxBatch: number;
  /** Items waiting for a batch; more are refused with `overloaded()` rather than queued behind a stuck database. */
  maxWaiting: number;
  overloaded(): AppError;
  /** Whether an item may join a batch that already holds these (default: always). */
  fits?(item: I, batch: readonly I[]): boolean;
};

type Waiting<I, R> = { item: I; resolve: (value: R) => void; reject: (error: unknown) => void };

export function createWriteBatcher<I, R>(options: WriteBatcherOptions<I, R>): (item: I) => Promise<R> {
  let waiting: Waiting<I, R>[] = [];
  let inFlight = 0;

  const settle = (batch: readonly Waiting<I, R>[], outcomes: BatchOutcome<R>[]) => {
    for (const [i, w] of batch.entries()) {
      const outcome = outcomes[i];
      if (outcome?.ok) w.resolve(outcome.value);
      else w.reject(outcome ? outcome.error : new Error('The batch write returned no outcome for this item.'));
    }
  };

  async function flush(batch: Waiting<I, R>[]) {
    inFlight++;
    try {
      settle(batch, await options.write(batch.map((w) => w.item)));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        // The database is gone or stuck: fail this batch and everything waiting at once (each
        // would only wait for its own timeout); clients retry (sends with the same clientMessageId).
        const failed = [...batch, ...waiting];
        waiting = [];
        for (const w of failed) w.reject(error);
      } else if (batch.length === 1) {
        batch[0]?.reject(error);
      } else {
        // One bad item (e.g. a retried client message id) fails the whole batch: write them one
        // by one, so that only that one gets the error.
        for (const [i, w] of batch.entries()) {
          try {
            settle([w], await options.write([w.item]));
          } catch (single) {
            w.reject(single);
            if (isDatabaseUnavailable(single)) {
              for (const rest of batch.slice(i + 1)) rest.reject(single);
              break;
            }
          }
        }
      }
    } finally {
      inFlight--;
      next();
    }
  }

  /** The oldest waiting items that fit together. */
  function takeBatch(): Waiting<I, R>[] {
    const fits = options.fits;
    if (!fits) {
      const batch = waiting.slice(0, options.maxBatch);
      waiting = waiting.slice(options.maxBatch);
      return batch;
    }
    const batch: Waiting<I, R>[] = [];
    const items: I[] = [];
    const rest: Waiting<I, R>[] = [];
    for (const w of waiting) {
      if (batch.length < options.maxBatch && fits(w.item, items)) {
        batch.push(w);
        items.push(w.item);
      } else {
        rest.push(w);
      }
    }
    waiting = rest;
    return batch;
  }

  function next() {
    while (inFlight < options.maxInFlight && waiting.length > 0) void flush(takeBatch());
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (waiting.length >= options.maxWaiting) {
        reject(options.overloaded());
        return;
      }
      waiting.push({ item, resolve, reject });
      next();
    });
}
