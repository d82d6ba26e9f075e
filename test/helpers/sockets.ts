// Real socket.io-client connections to a test server's support namespace.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../common/realtime.js';
import { SUPPORT_NAMESPACE } from '../../common/realtime.js';

export type SupportClient = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectError = Error & { data?: { code: string; message: string } };

const open = new Set<SupportClient>();

/** A client that has not connected yet (autoConnect off), for tests that need to set it up first. */
export function supportClient(
  baseUrl: string,
  token: string | undefined,
  options: { origin?: string; headers?: Record<string, string> } = {},
): SupportClient {
  const socket: SupportClient = io(`${baseUrl}${SUPPORT_NAMESPACE}`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
    forceNew: true,
    extraHeaders: { ...options.headers, ...(options.origin ? { origin: options.origin } : {}) },
  });
  open.add(socket);
  return socket;
}

/** Connects and resolves once the server accepted the handshake; rejects with its error. */
export function connect(socket: SupportClient): Promise<SupportClient> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
    socket.connect();
  });
}

export const connectSupport = (
  baseUrl: string,
  token: string | undefined,
  options?: { origin?: string; headers?: Record<string, string> },
) => connect(supportClient(baseUrl, token, options));

/** Resolves with the next `event` matching `filter`, or rejects after `timeoutMs`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: SupportClient,
  event: E,
  filter: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!filter(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

/** Records every event a socket receives, to assert on silence after a fixed window. */
export function recordEvents(socket: SupportClient): { events: { event: string; payload: unknown }[] } {
  const record = { events: [] as { event: string; payload: unknown }[] };
  socket.onAny((event, payload) => record.events.push({ event, payload }));
  return record;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Emits with an ack and resolves with the server's answer. */
export function emitWithAck<E extends keyof ClientToServerEvents>(
  socket: SupportClient,
  event: E,
  payload: unknown,
  timeoutMs = 5000,
): Promise<{ ok: boolean; error?: { code: string; message: string } } & Record<string, unknown>> {
  // biome-ignore lint/suspicious/noExplicitAny: tests send deliberately malformed payloads too
  return (socket.timeout(timeoutMs) as any).emitWithAck(event, payload);
}

export function closeAllSockets() {
  for (const socket of open) socket.disconnect();
  open.clear();
}
