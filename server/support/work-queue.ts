// An in-process queue that lets at most `concurrency` tasks run at once. The others wait here, in
// memory, rather than on a database connection: a burst of requests then queues without taking
// the pool's connections (which other work needs) or running into Prisma's transaction-start
// timeout. A task that waited longer than `maxWaitMs` fails with `onTimeout()` instead of running.
export type WorkQueue = <T>(task: () => Promise<T>) => Promise<T>;

export function createWorkQueue(options: {
  concurrency: number;
  maxWaitMs: number;
  onTimeout: () => Error;
}): WorkQueue {
  let running = 0;
  const waiting: { start: () => void; timer: ReturnType<typeof setTimeout> }[] = [];

  /** Hands the finished task's slot to the next waiter, or frees it. */
  const release = () => {
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.start();
    } else {
      running -= 1;
    }
  };

  return async (task) => {
    if (running < options.concurrency) {
      running += 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const entry = {
          start: resolve,
          timer: setTimeout(() => {
            waiting.splice(waiting.indexOf(entry), 1);
            reject(options.onTimeout());
          }, options.maxWaitMs),
        };
        waiting.push(entry);
      });
    }
    try {
      return await task();
    } finally {
      release();
    }
  };
}
