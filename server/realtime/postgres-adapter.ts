// @socket.io/postgres-adapter with a LISTEN connection that survives the database.
//
// The library's PubSubClient takes its LISTEN client from the pool and attaches no 'error'
// listener: when that backend is terminated (pg_terminate_backend, a failover, a restart, a
// proxy's idle timeout) the client emits 'error' with no listener and the process exits. It also
// never gives a dead client back, so every reconnect leaks a pool slot. This subclass keeps the
// library's publishing (NOTIFY, large payloads through the attachments table, cleanup) and
// replaces only the LISTEN side: a dedicated connection, outside the pool, that is watched for
// errors and ends, and re-established with backoff, LISTENing to every channel again.
//
// The PubSubClient's internals (initClient, scheduleReconnection, client, channels, ...) are
// private in its typings, hence the `Internals` view; test/realtime/cluster-faults.test.ts fails
// if an upgrade of the library changes them.
import { decode } from '@msgpack/msgpack';
import { PostgresAdapter, type PostgresAdapterOptions } from '@socket.io/postgres-adapter';
import { PubSubClient } from '@socket.io/postgres-adapter/dist/util.js';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Namespace } from 'socket.io';
import type { ClusterMessage } from 'socket.io-adapter';
import { reportDatabaseAvailable, reportDatabaseFault } from '../db/availability.js';

const SOURCE = 'socket adapter LISTEN';
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

type Message = ClusterMessage & { uid?: string; nsp: string; attachmentId?: string };

/** The fields of the library's PubSubClient this subclass works with. */
type Internals = {
  pool: pg.Pool;
  opts: Required<PostgresAdapterOptions>;
  isFromSelf: (message: Message) => boolean;
  onMessage: (message: ClusterMessage) => void;
  channels: Set<string>;
  client: pg.Client | undefined;
  reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  cleanupTimer: ReturnType<typeof setInterval> | undefined;
};

export type SupervisedPostgresAdapter = {
  // biome-ignore lint/suspicious/noExplicitAny: socket.io types adapters as a constructor of any namespace
  adapter: any;
  /** True while the LISTEN connection is up. */
  isListening(): boolean;
};

export function createSupervisedPostgresAdapter(
  pool: pg.Pool,
  listenConnection: pg.ClientConfig,
  logger: Logger,
  options: PostgresAdapterOptions = {},
): SupervisedPostgresAdapter {
  const opts: Required<PostgresAdapterOptions> = {
    channelPrefix: 'socket.io',
    tableName: 'socket_io_attachments',
    payloadThreshold: 8000,
    cleanupInterval: 30_000,
    errorHandler: () => {},
    ...options,
  };
  let retries = 0;
  let closed = false;

  // biome-ignore lint/suspicious/noExplicitAny: the library's class, with its private members reached
  const Base = PubSubClient as any as new (...args: unknown[]) => object;
  class SupervisedPubSubClient extends Base {
    private get self(): Internals {
      return this as unknown as Internals;
    }

    /** Replaces the library's: a dedicated, watched connection instead of a pooled, unwatched one. */
    async initClient() {
      const self = this.self;
      clearTimeout(self.reconnectTimer);
      if (closed) return;
      const client = new pg.Client(listenConnection);
      let lost = false;
      const onLost = (error?: Error) => {
        if (lost) return;
        lost = true;
        if (self.client === client) self.client = undefined;
        client.removeAllListeners('notification');
        client.end().catch(() => {});
        if (closed) return;
        reportDatabaseFault(logger, SOURCE, error ?? new Error('Connection terminated'));
        this.scheduleReconnection();
      };
      client.on('error', onLost);
      client.on('end', () => onLost());
      client.on('notification', (notification) => void this.onNotification(notification.payload));
      try {
        await client.connect();
        for (const channel of self.channels) await client.query(`LISTEN "${channel}"`);
      } catch (error) {
        onLost(error as Error);
        return;
      }
      if (lost) return;
      if (closed) {
        // Closed while connecting: this connection is no one's.
        onLost();
        return;
      }
      retries = 0;
      self.client = client;
      reportDatabaseAvailable(logger, SOURCE);
    }

    /** The library's handler for a NOTIFY: parse, skip our own, fetch large payloads. */
    async onNotification(payload: string | undefined) {
      const self = this.self;
      try {
        const message = JSON.parse(payload ?? '') as Message;
        if (self.isFromSelf(message)) return;
        if (message.attachmentId) {
          const result = await self.pool.query(`SELECT payload FROM ${self.opts.tableName} WHERE id = $1`, [
            message.attachmentId,
          ]);
          self.onMessage(decode(result.rows[0].payload) as ClusterMessage);
        } else {
          self.onMessage(message);
        }
      } catch (error) {
        self.opts.errorHandler(error as Error);
      }
    }

    /** Backoff with jitter: 250 ms, 500 ms, 1 s ... 5 s. */
    scheduleReconnection() {
      const self = this.self;
      if (closed) return;
      clearTimeout(self.reconnectTimer);
      const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** retries) * (0.75 + Math.random() / 2);
      retries++;
      self.reconnectTimer = setTimeout(() => void this.initClient(), delay);
    }

    close() {
      const self = this.self;
      closed = true;
      clearTimeout(self.reconnectTimer);
      clearInterval(self.cleanupTimer);
      const client = self.client;
      self.client = undefined;
      if (client) {
        client.removeAllListeners();
        client.on('error', () => {});
        client.end().catch(() => {});
      }
    }
  }

  const namespaces = new Map<string, PostgresAdapter>();
  const pubSub = new SupervisedPubSubClient(
    pool,
    opts,
    // biome-ignore lint/complexity/useLiteralKeys: uid is protected in the adapter's typings
    (message: Message) => namespaces.get(message.nsp)?.['uid'] === message.uid,
    (message: Message) => namespaces.get(message.nsp)?.onMessage(message),
  ) as unknown as { addNamespace(name: string): void; close(): void };

  // What the library's createAdapter does, with this PubSubClient. A function, not an arrow:
  // Socket.IO calls it with `new`.
  // biome-ignore lint/complexity/useArrowFunction: Socket.IO calls the adapter factory with `new`
  const adapter = function (nsp: Namespace) {
    const instance = new PostgresAdapter(nsp, {}, pubSub as unknown as PubSubClient);
    namespaces.set(nsp.name, instance);
    pubSub.addNamespace(nsp.name);
    const defaultClose = instance.close.bind(instance);
    instance.close = () => {
      namespaces.delete(nsp.name);
      if (namespaces.size === 0) pubSub.close();
      return defaultClose();
    };
    return instance;
  };
  return { adapter, isListening: () => (pubSub as unknown as Internals).client !== undefined };
}
