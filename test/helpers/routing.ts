// Routing helpers: agents come online by connecting a real support socket, as the dashboard does.
import type { TeamSnapshot } from '../../common/routing.js';
import { api, type TestAdmin } from './fixtures.js';
import { connectSupport, type SupportClient, sleep } from './sockets.js';

/** The team as an agent sees it (GET /api/admin/support/team). */
export async function team(baseUrl: string, agent: TestAdmin): Promise<TeamSnapshot> {
  const { status, json } = await api(baseUrl, 'GET', '/api/admin/support/team', { token: agent.token });
  if (status !== 200) throw new Error(`GET team: ${status}`);
  return json as TeamSnapshot;
}

/** Polls until `check` holds for the team (routing decides within a second or two). */
export async function waitForTeam(
  baseUrl: string,
  viewer: TestAdmin,
  check: (team: TeamSnapshot) => boolean,
  timeoutMs = 10_000,
): Promise<TeamSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await team(baseUrl, viewer);
    if (check(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`team never matched: ${JSON.stringify(snapshot)}`);
    await sleep(50);
  }
}

export const statusOf = (snapshot: TeamSnapshot, agent: TestAdmin) =>
  snapshot.agents.find((a) => a.adminId === agent.adminId)?.status;

/** Connects a support socket for the agent and waits until routing counts them as online. */
export async function goOnline(baseUrl: string, agent: TestAdmin): Promise<SupportClient> {
  const socket = await connectSupport(baseUrl, agent.token);
  await waitForTeam(baseUrl, agent, (snapshot) => statusOf(snapshot, agent) === 'online');
  return socket;
}
