// GET /metrics: Prometheus text for one process, behind METRICS_TOKEN, with fixed labels only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../common/realtime.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestUser } from '../helpers/fixtures.js';
import { closeAllSockets, connectSupport, emitWithAck } from '../helpers/sockets.js';

const METRICS_TOKEN = 'metrics-token-0123456789';

describe('GET /metrics', () => {
  let t: TestApp;
  let driver: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN });
    driver = await createUser(t.database.db, t.services.tokens, 'driver', { email: 'metrics.driver@example.test' });
  });
  afterAll(async () => {
    closeAllSockets();
    await t.close();
  });

  const scrape = (token?: string) =>
    fetch(`${t.baseUrl}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('refuses a scraper without the token', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('not-the-metrics-token')).status).toBe(401);
  });

  const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

  it('reports how late the event loop ran since the previous scrape, without the timer resolution', async () => {
    await (await scrape(METRICS_TOKEN)).text(); // resets the window
    // An idle loop: well under prom-client's figure, which never goes below its 10 ms resolution
    // (a busy shared machine still adds a millisecond or two of timer jitter).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const idle = await (await scrape(METRICS_TOKEN)).text();
    expect(gauge(idle, 'nodejs_eventloop_lag_p50_seconds')).toBeGreaterThanOrEqual(0.009);
    expect(gauge(idle, 'support_event_loop_delay_seconds\\{stat="p50"\\}')).toBeLessThan(0.005);
    // The test app runs in this process: blocking it for 80 ms shows as an 80 ms delay.
    const until = performance.now() + 80;
    while (performance.now() < until) {}
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stalled = await (await scrape(METRICS_TOKEN)).text();
    expect(gauge(stalled, 'support_event_loop_delay_seconds\\{stat="max"\\}')).toBeGreaterThanOrEqual(0.075);
    // Reset at the scrape: the next window no longer holds the stall.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await (await scrape(METRICS_TOKEN)).text();
    expect(gauge(after, 'support_event_loop_delay_seconds\\{stat="max"\\}')).toBeLessThan(0.075);
  });

  it('counts sockets, stored messages, event and request latency, the queue and the pool', async () => {
    const agent = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT'], 'Metrics Agent');
    const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
    const conversationId = (created.json as { conversation: { id: string } }).conversation.id;
    const userSocket = await connectSupport(t.baseUrl, driver.token);
    await connectSupport(t.baseUrl, agent.token);
    const sent = await emitWithAck(userSocket, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'a private question about my payout',
      clientMessageId: 'metrics-1',
    });
    expect(sent).toMatchObject({ ok: true });
    // A retry of the same message is published again but not stored again: not counted.
    await emitWithAck(userSocket, ClientEvent.MESSAGE_SEND, {
      conversationId,
      body: 'a private question about my payout',
      clientMessageId: 'metrics-1',
    });

    const response = await scrape(METRICS_TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('support_sockets_connected{kind="user"} 1');
    expect(text).toContain('support_sockets_connected{kind="admin"} 1');
    expect(text).toContain('support_messages_stored_total{sender="user"} 1');
    expect(text).toContain('support_socket_event_duration_seconds_count{event="message:send"} 2');
    expect(text).toMatch(
      /support_http_request_duration_seconds_count\{method="POST",route="\/api\/support\/conversations",status="2xx"\} 1/,
    );
    expect(text).toContain('support_queue_length 1');
    expect(text).toMatch(/support_queue_oldest_wait_seconds \d/);
    expect(text).toContain('support_notification_outbox_backlog 0');
    expect(text).toMatch(/support_db_pool_connections\{state="waiting"\} 0/);
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(text).toContain('nodejs_gc_duration_seconds');
    expect(text).toMatch(/support_event_loop_delay_seconds\{stat="p99"\} [\d.e-]+/);
    expect(text).toMatch(/support_gc_pause_max_seconds [\d.e-]+/);
    // Fixed labels only: no ids, addresses or message text.
    for (const personal of [conversationId, driver.userId, 'metrics.driver@example.test', 'payout']) {
      expect(text).not.toContain(personal);
    }
  });
});
