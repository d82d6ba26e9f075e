// The floor for bench/realtime.ts: a bare Socket.IO server with the same room topology as the
// support namespace (users send, every admin socket receives) but no database and no auth.
import http from 'node:http';
import { Server } from 'socket.io';

const server = http.createServer();
const io = new Server(server, { serveClient: false });
const nsp = io.of('/support');

nsp.on('connection', (socket) => {
  if (socket.handshake.auth?.role === 'admin') socket.join('admins');
  socket.on('message:send', (payload: { clientMessageId: string; body: string }, ack: (result: object) => void) => {
    const message = { ...payload, id: payload.clientMessageId, createdAt: new Date().toISOString() };
    nsp.to('admins').emit('message:created', { message });
    ack({ ok: true, message });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`floor listening on ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGINT', () => {
  io.close();
  process.exit(0);
});
