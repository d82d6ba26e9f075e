// A chat client that behaves like the apps do across restarts and failures: it reconnects, catches
// up by sequence number after every reconnect, and sends each message until it is acknowledged
// (always with the same client message id, so the server stores it once). Used by the rolling
// restart test, `npm run soak` and `npm run bench:cluster`, which then compare what every client
// holds with what the database holds.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { ClientEvent, ServerEvent, SUPPORT_NAMESPACE } from '../../common/realtime.js';
import type { MessageDto } from '../../common/support.js';
import type { SupportClient } from './sockets.js';

const ACK_TIMEOUT_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ReliableClient {
  /** conversation id -> seq -> message id: what this client holds (live or caught up). */
  readonly received = new Map<string, Map<number, string>>();
  /** client message id -> stored message id, for every send that was acknowledged. */
  readonly acknowledged = new Map<string, string>();
  /** Send-to-receipt latency (ms) of messages whose send time this process knows. */
  readonly latencies: number[] = [];
  /** The longest time (ms) this client was without a connection. */
  longestOutageMs = 0;
  reconnects = 0;
  private readonly socket: SupportClient;
  private disconnectedAt: number | null = null;
  private closed = false;

  constructor(
    baseUrl: string,
    token: string,
    /** Send times by message body, shared by every client of a run (for latencies). */
    private readonly sentAt?: Map<string, number>,
  ) {
    this.socket = io(`${baseUrl}${SUPPORT_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 2000,
    });
    this.socket.on(ServerEvent.MESSAGE_CREATED, ({ conversation, message }) => {
      const held = this.received.get(conversation.id);
      if (!held) return;
      if (!held.has(message.seq)) {
        const sent = message.body ? this.sentAt?.get(message.body) : undefined;
        if (sent !== undefined) this.latencies.push(performance.now() - sent);
      }
      held.set(message.seq, message.id);
    });
    // A handshake refused by the server (e.g. the database was down while it checked the session)
    // is not retried by socket.io-client itself; the apps retry, and so does this client.
    this.socket.on('connect_error', () => {
      if (!this.socket.active && !this.closed) setTimeout(() => this.socket.connect(), 500);
    });
    this.socket.on('disconnect', () => {
      this.disconnectedAt ??= performance.now();
    });
    this.socket.on('connect', () => {
      if (this.disconnectedAt !== null) {
        this.reconnects += 1;
        this.longestOutageMs = Math.max(this.longestOutageMs, performance.now() - this.disconnectedAt);
        this.disconnectedAt = null;
        void this.catchUp();
      }
    });
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  /** Holds this conversation's messages from now on (and catches up on it after reconnects). */
  follow(conversationId: string) {
    if (!this.received.has(conversationId)) this.received.set(conversationId, new Map());
  }

  /** Fetches every followed conversation's messages after the highest seq held without a hole. */
  async catchUp(): Promise<void> {
    for (const [conversationId, held] of this.received) {
      let afterSeq = 0;
      while (held.has(afterSeq + 1)) afterSeq += 1;
      for (;;) {
        if (this.closed || !this.socket.connected) return;
        const ack = await this.socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck(ClientEvent.MESSAGES_SYNC, { conversationId, afterSeq, limit: 100 })
          .catch(() => null);
        if (ack && !ack.ok && ack.error.code === 'RATE_LIMITED') {
          // Catch-up spends the account's sync budget: wait as told, then the same page again.
          const { retryAfterSeconds } = (ack.error.details ?? {}) as { retryAfterSeconds?: number };
          await sleep((retryAfterSeconds ?? 1) * 1000);
          continue;
        }
        if (!ack?.ok) return;
        const messages: MessageDto[] = ack.messages;
        for (const message of messages) held.set(message.seq, message.id);
        if (!ack.hasMore || messages.length === 0) break;
        afterSeq = Math.max(...messages.map((message) => message.seq));
      }
    }
  }

  /** Sends until acknowledged; gives up only after `deadlineMs`. */
  async send(conversationId: string, body: string, deadlineMs = 60_000): Promise<MessageDto> {
    const clientMessageId = randomUUID();
    const giveUpAt = performance.now() + deadlineMs;
    while (performance.now() < giveUpAt && !this.closed) {
      if (!this.socket.connected) await Promise.race([this.connected(), sleep(1000)]);
      if (!this.socket.connected) continue;
      const ack = await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck(ClientEvent.MESSAGE_SEND, { conversationId, body, clientMessageId })
        .catch(() => null);
      if (ack?.ok) {
        this.acknowledged.set(clientMessageId, ack.message.id);
        return ack.message;
      }
      // Retryable (a node going away, the database busy, a rate limit): the same id again.
      if (ack && !ack.error.retryable && ack.error.code !== 'RATE_LIMITED') {
        throw new Error(`send refused: ${ack.error.code}`);
      }
      await sleep(100);
    }
    throw new Error('send not acknowledged before the deadline');
  }

  close() {
    this.closed = true;
    this.socket.close();
  }
}
