// A load-generator process for bench/realtime.ts's idle-socket phase: one Node process cannot open
// tens of thousands of sockets quickly (nor hold more than `ulimit -n`), so the bench spreads them
// over several of these. Started with an IPC channel: says 'ready', receives the sockets to open,
// reports when they are connected, and closes them all on 'close'.
import { io, type Socket } from 'socket.io-client';

type Job = {
  /** Each socket's server namespace URL and token. */
  targets: { url: string; token: string }[];
  /** A loopback source address of its own (127.0.0.x), so that one server port is not limited to one address's ephemeral ports. */
  localAddress?: string;
  /** Handshakes in flight at once. */
  batch: number;
};

const sockets: Socket[] = [];

function connectOne(url: string, token: string, localAddress: string | undefined): Promise<Socket | Error> {
  return new Promise((resolve) => {
    const socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(localAddress ? { localAddress } : {}),
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error);
    });
  });
}

process.on('message', async (message: Job | 'close') => {
  if (message === 'close') {
    for (const socket of sockets) socket.disconnect();
    process.exit(0);
  }
  const { targets, localAddress, batch } = message;
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  // `batch` handshakes in flight at a time, each slot taking the next target when one finishes.
  await Promise.all(
    Array.from({ length: Math.min(batch, targets.length) }, async () => {
      while (next < targets.length) {
        const target = targets[next++] as Job['targets'][number];
        const result = await connectOne(target.url, target.token, localAddress);
        if (result instanceof Error) {
          failed++;
          firstError ??= result.message;
        } else sockets.push(result);
      }
    }),
  );
  process.send?.({ connected: sockets.length, failed, firstError });
});
process.send?.('ready');
