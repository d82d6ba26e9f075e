// Runs tasks with the same key one after another (in this process), in the order they came: sends
// to one conversation. Bounded, so that a queue cannot grow without limit behind a statement the
// database does not answer: a task that finds maxPending tasks ahead of it, or waits longer than
// maxWaitMs for its turn, fails at once with the retryable DATABASE_UNAVAILABLE and never runs;
// when a task fails because the database is unavailable, the tasks already waiting behind it fail
// the same way instead of each waiting for its own timeout. Clients retry with the same
// clientMessageId, so nothing is lost or stored twice.
import { ErrorCode } from '../../common/errors.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import { AppError, errors } from '../errors.js';

export type KeyedQueueLimits = {
  /** Tasks waiting or running per key; one more is refused. */
  maxPending: number;
  /** Longest a task may wait for its turn. */
  maxWaitMs: number;
};

/** Per conversation: a burst of sends fits; a stuck database fails the rest within seconds. */
export const DEFAULT_KEYED_QUEUE_LIMITS: KeyedQueueLimits = { maxPending: 100, maxWaitMs: 10_000 };

const isUnavailable = (error: unknown) =>
  isDatabaseUnavailable(error) || (error instanceof AppError && error.code === ErrorCode.DATABASE_UNAVAILABLE);

type Queue = { tail: Promise<void>; pending: number; unavailableFailures: number };

export function createKeyedQueue(limits: KeyedQueueLimits = DEFAULT_KEYED_QUEUE_LIMITS) {
  const queues = new Map<string, Queue>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const queue = queues.get(key) ?? { tail: Promise.resolve(), pending: 0, unavailableFailures: 0 };
    if (queue.pending >= limits.maxPending) {
      return Promise.reject(errors.databaseUnavailable('Too many messages are waiting for the database. Try again.'));
    }
    queue.pending++;
    queues.set(key, queue);
    const failuresBefore = queue.unavailableFailures;
    return new Promise<T>((resolve, reject) => {
      let gaveUp = false;
      const timer = setTimeout(() => {
        gaveUp = true;
        reject(errors.databaseUnavailable('The database is too slow to answer right now. Try again.'));
      }, limits.maxWaitMs);
      // The tail never rejects, so that one failed task does not fail the ones behind it.
      queue.tail = queue.tail.then(async () => {
        clearTimeout(timer);
        try {
          if (gaveUp) return;
          if (queue.unavailableFailures > failuresBefore) throw errors.databaseUnavailable();
          resolve(await task());
        } catch (error) {
          if (isUnavailable(error)) queue.unavailableFailures++;
          reject(error);
        } finally {
          queue.pending--;
          if (queue.pending === 0 && queues.get(key) === queue) queues.delete(key);
        }
      });
    });
  };
}
