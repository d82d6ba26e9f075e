// Draining a server process before it stops (SIGTERM during a deploy): readiness turns false so the
// load balancer stops sending traffic, new sockets are refused, connected clients lose their
// connection the way a network blip looks (they reconnect, through the load balancer, to another
// node, and resend what was not acknowledged: sends are idempotent by client message id), and the
// socket events still running finish before the database is closed.
export type Drain = {
  /** True from start() on: readiness answers 503, new sockets are refused. */
  readonly draining: boolean;
  start(): void;
  /** Runs a piece of work (a socket event's handler) so that idle() waits for it. */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once no tracked work is running. */
  idle(): Promise<void>;
};

export function createDrain(): Drain {
  let draining = false;
  let running = 0;
  let waiters: (() => void)[] = [];

  const settle = () => {
    if (running > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  return {
    get draining() {
      return draining;
    },
    start() {
      draining = true;
    },
    async track(work) {
      running += 1;
      try {
        return await work();
      } finally {
        running -= 1;
        settle();
      }
    },
    idle() {
      if (running === 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}
