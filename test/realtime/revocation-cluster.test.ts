// Revocation across server processes: each process LISTENs for the database's account-change
// notifications, so signing out through one process closes the session's socket on another.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerEvent } from '../../common/realtime.js';
import { createTokenService } from '../../server/platform/auth/tokens.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { api, createUser, TEST_PASSWORD, type TestUser } from '../helpers/fixtures.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { closeAllSockets, connectSupport, nextEvent, sleep } from '../helpers/sockets.js';

const REVOCATION_MS = 1000;

describe('revocation across two server processes (SOCKET_ADAPTER=postgres)', () => {
  let database: TestDatabase;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let driver: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    driver = await createUser(
      database.db,
      createTokenService({ secret: TEST_SECRETS.JWT_SECRET, ttlSeconds: 900 }),
      'driver',
    );
    const shared = { DATABASE_URL: database.url, SOCKET_ADAPTER: 'postgres' };
    [nodeA, nodeB] = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
  }, 90_000);
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await database?.drop();
  });

  it('signing out through node A closes the session’s socket on node B within a second', async () => {
    const login = await api(nodeA.baseUrl, 'POST', '/api/auth/login', {
      body: { email: driver.email, password: TEST_PASSWORD },
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const socket = await connectSupport(nodeB.baseUrl, login.json.token);
    const ended = nextEvent(socket, ServerEvent.SESSION_ENDED, () => true, REVOCATION_MS);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const logout = await api(nodeA.baseUrl, 'POST', '/api/auth/logout', { body: {}, headers: { cookie } });
    expect(logout.status).toBe(204);
    expect(await ended).toEqual({ reason: 'signed_out' });
    const reason = await Promise.race([closed, sleep(REVOCATION_MS).then(() => 'still connected')]);
    expect(reason).toBe('io server disconnect');
  });
});
