// Socket.IO sends each packet as its own WebSocket frame, and ws writes each frame with its own
// system call. When several packets leave for one connection at once (a batch of messages stored
// by one statement is published in one go, and reaches every agent), corking the connection's TCP
// socket until the end of the tick hands them to the kernel in one write: the same bytes in the
// same order, with one system call per connection and batch instead of one per packet.
import type { Server } from 'socket.io';

type EngineSocket = { transport?: { name?: string; socket?: { _socket?: unknown } } };
type Corkable = { cork(): void; uncork(): void; writableCorked: number };

/** The TCP socket under a WebSocket connection (ws keeps it as `_socket`), if it can be corked. */
function tcpSocketOf(connection: EngineSocket): Corkable | undefined {
  const transport = connection.transport;
  if (transport?.name !== 'websocket') return undefined;
  const tcp = transport.socket?._socket as Partial<Corkable> | undefined;
  return typeof tcp?.cork === 'function' && typeof tcp.uncork === 'function' ? (tcp as Corkable) : undefined;
}

export function coalesceFrameWrites(io: Server) {
  // engine.io emits "flush" just before it writes a connection's buffered packets.
  io.engine.on('flush', (connection: EngineSocket) => {
    const tcp = tcpSocketOf(connection);
    if (!tcp || tcp.writableCorked > 0) return;
    tcp.cork();
    process.nextTick(() => tcp.uncork());
  });
}
