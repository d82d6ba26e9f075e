// A graceful stop (SIGTERM in server/main.ts calls drainAndClose): readiness turns false and new
// sockets are refused at once, connected sockets are dropped the way a network failure drops them
// (so clients reconnect, to another node behind the load balancer), and what was already running
// finishes and is stored exactly once before the app closes.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClientEvent } from '../../common/realtime.js';
import { startTestApp } from '../helpers/app.js';
import { api, createUser } from '../helpers/fixtures.js';
import { connectSupport, emitWithAck } from '../helpers/sockets.js';

describe('draining before a stop', () => {
  it('refuses new sockets, drops connected ones so that clients reconnect, finishes running work', async () => {
    const t = await startTestApp({ SHUTDOWN_DRAIN_DELAY_MS: '500' });
    try {
      const driver = await createUser(t.database.db, t.services.tokens, 'driver');
      const created = await api(t.baseUrl, 'POST', '/api/support/conversations', { token: driver.token, body: {} });
      const conversationId = (created.json as { conversation: { id: string } }).conversation.id;
      const socket = await connectSupport(t.baseUrl, driver.token);
      const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));

      // Sent just before the stop: a socket message and an HTTP message.
      const socketSend = emitWithAck(socket, ClientEvent.MESSAGE_SEND, {
        conversationId,
        body: 'sent over the socket',
        clientMessageId: 'drain-socket-1',
      }).catch(() => undefined);
      const httpSend = api(t.baseUrl, 'POST', `/api/support/conversations/${conversationId}/messages`, {
        token: driver.token,
        body: { body: 'sent over HTTP', clientMessageId: 'drain-http-1' },
      });
      const stopped = t.drainAndClose();

      const ready = await api(t.baseUrl, 'GET', '/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ ok: false, draining: true });
      await expect(connectSupport(t.baseUrl, driver.token)).rejects.toThrow();

      // "transport close" is what socket.io clients reconnect after (not "io server disconnect").
      expect(await dropped).toBe('transport close');
      expect((await httpSend).status).toBe(201);
      await socketSend;
      await stopped;

      const stored = await t.database.db.supportMessage.findMany({
        where: { conversationId },
        select: { clientMessageId: true },
      });
      expect(stored.map((m) => m.clientMessageId).sort()).toEqual(['drain-http-1', 'drain-socket-1']);
      expect(t.app.server.listening).toBe(false);
    } finally {
      await t.database.drop();
      fs.rmSync(t.config.dataDir, { recursive: true, force: true });
    }
  });
});
