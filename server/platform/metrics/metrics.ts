// Prometheus metrics of one server process (prom-client), scraped from GET /metrics. Labels carry
// fixed names only (socket kind, event name, route pattern, status class): never an id, a name or
// anything a user typed. The queue and outbox gauges read the shared database, so every process
// reports the same cluster-wide figure for them.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** Seconds; from a fast commit to a request that waited for a saturated database. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(deps: {
  pool: pg.Pool;
  /** This process's open support sockets by kind. */
  socketCounts: () => { user: number; admin: number };
}) {
  const registry = new Registry();
  // Event-loop lag, GC pauses, heap, CPU, handles: prom-client's standard Node.js metrics.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const stopLoopAndGc = loopAndGcMetrics(registry);

  new Gauge({
    name: 'support_sockets_connected',
    help: 'Open support sockets on this process, by kind (user or admin).',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const counts = deps.socketCounts();
      this.set({ kind: 'user' }, counts.user);
      this.set({ kind: 'admin' }, counts.admin);
    },
  });

  const messagesStored = new Counter({
    name: 'support_messages_stored_total',
    help: 'Messages stored by this process, by sender (user or admin); rate() gives messages per second.',
    labelNames: ['sender'],
    registers: [registry],
  });

  const socketEventSeconds = new Histogram({
    name: 'support_socket_event_duration_seconds',
    help: 'From a socket event arriving to its ack (for message:send: stored, published, acknowledged).',
    labelNames: ['event'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  const httpSeconds = new Histogram({
    name: 'support_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  new Gauge({
    name: 'support_db_pool_connections',
    help: 'This process’s PostgreSQL pool: connections in use, idle, and requests waiting for one.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const { totalCount, idleCount, waitingCount } = deps.pool;
      this.set({ state: 'in_use' }, totalCount - idleCount);
      this.set({ state: 'idle' }, idleCount);
      this.set({ state: 'waiting' }, waitingCount);
    },
  });

  // The routing queue and the notification outbox, read at scrape time (indexed counts).
  const queueLength = new Gauge({
    name: 'support_queue_length',
    help: 'Open conversations waiting for an agent (the routing queue).',
    registers: [registry],
  });
  const queueOldest = new Gauge({
    name: 'support_queue_oldest_wait_seconds',
    help: 'How long the oldest conversation in the routing queue has waited (0 when empty).',
    registers: [registry],
  });
  const outboxBacklog = new Gauge({
    name: 'support_notification_outbox_backlog',
    help: 'Notifications not yet decided or delivered (pending or sending).',
    registers: [registry],
  });

  async function readSharedGauges() {
    const { rows } = await deps.pool.query<{ waiting: number; oldest: number | null; backlog: number }>(
      `SELECT (SELECT count(*)::int FROM "SupportConversation" WHERE status = 'open' AND "adminId" IS NULL) AS waiting,
              (SELECT extract(epoch FROM now() - min("queuedAt"))::float8 FROM "SupportConversation"
                WHERE status = 'open' AND "adminId" IS NULL) AS oldest,
              (SELECT count(*)::int FROM "NotificationOutbox" WHERE status IN ('pending', 'sending')) AS backlog`,
    );
    const [row] = rows;
    queueLength.set(row?.waiting ?? 0);
    queueOldest.set(row?.oldest ?? 0);
    outboxBacklog.set(row?.backlog ?? 0);
  }

  return {
    registry,
    messageStored(sender: 'user' | 'admin') {
      messagesStored.inc({ sender });
    },
    socketEventHandled(event: string, seconds: number) {
      socketEventSeconds.observe({ event }, seconds);
    },
    httpRequestHandled(method: string, route: string, statusCode: number, seconds: number) {
      httpSeconds.observe({ method, route, status: `${Math.floor(statusCode / 100)}xx` }, seconds);
    },
    /** Stops the event-loop and GC observers (tests start many apps in one process). */
    stop: stopLoopAndGc,
    /** The Prometheus text exposition of everything above. */
    async render(): Promise<string> {
      await readSharedGauges();
      return registry.metrics();
    },
  };
}

/** Event-loop timer resolution, ms: the smallest Node allows, so that short stalls are seen. */
const LOOP_RESOLUTION_MS = 1;

/**
 * Event-loop delay and the longest GC pause since the previous scrape. prom-client's
 * nodejs_eventloop_lag_p*_seconds report the whole timer interval (10 ms resolution included: an
 * idle loop shows 10 ms), and nodejs_gc_duration_seconds has no maximum. Here the delay is how
 * late a 1 ms timer fired, resolution taken off; both reset at each scrape, so with more than one
 * scraper each sees the interval since anyone's last scrape.
 */
function loopAndGcMetrics(registry: Registry) {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  let gcMaxSeconds = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMaxSeconds = Math.max(gcMaxSeconds, entry.duration / 1000);
  });
  gc.observe({ entryTypes: ['gc'] });
  const late = (nanoseconds: number) => Math.max(0, nanoseconds / 1e9 - LOOP_RESOLUTION_MS / 1000);

  new Gauge({
    name: 'support_event_loop_delay_seconds',
    help: 'How late a 1 ms event-loop timer fired since the previous scrape (p50, p99, max); resets at each scrape.',
    labelNames: ['stat'],
    registers: [registry],
    collect() {
      // No sample yet (a scrape right after the previous one): report 0, not the histogram's sentinel.
      const sampled = loop.count > 0;
      this.set({ stat: 'p50' }, sampled ? late(loop.percentile(50)) : 0);
      this.set({ stat: 'p99' }, sampled ? late(loop.percentile(99)) : 0);
      this.set({ stat: 'max' }, sampled ? late(loop.max) : 0);
      loop.reset();
    },
  });
  new Gauge({
    name: 'support_gc_pause_max_seconds',
    help: 'The longest garbage-collection pause since the previous scrape; resets at each scrape.',
    registers: [registry],
    collect() {
      this.set(gcMaxSeconds);
      gcMaxSeconds = 0;
    },
  });
  return () => {
    loop.disable();
    gc.disconnect();
  };
}
