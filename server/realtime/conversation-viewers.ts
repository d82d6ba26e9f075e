// Which agents have a conversation open ("Marcus is also here"). The truth is the Socket.IO room
// viewers:<conversationId>, which only support admins allowed to see the conversation join
// (viewing:start): fetchSockets() on it asks every server process through the cluster adapter and
// returns live sockets only, so a closed tab, a crashed browser or a dead process stops counting
// without any state of ours to clean up. Users are never in these rooms, so they never hear of
// viewers. Every change of the room sends the whole list (not deltas) to the room.
import type { ConversationViewer } from '../../common/realtime.js';
import { ServerEvent } from '../../common/realtime.js';
import { hasPermission } from '../platform/rbac/rbac.js';
import type { SupportNamespace, SupportSocketData } from './support-namespace.js';

export const viewersRoom = (conversationId: string) => `viewers:${conversationId}`;

/** The agents viewing a conversation now, over every server process; one entry per agent. */
export async function currentViewers(nsp: SupportNamespace, conversationId: string): Promise<ConversationViewer[]> {
  const sockets = await nsp.in(viewersRoom(conversationId)).fetchSockets();
  const byAdmin = new Map<string, ConversationViewer>();
  for (const socket of sockets) {
    const data = socket.data as SupportSocketData;
    // An agent who just lost SUPPORT_CHAT leaves the room; until then, do not count them.
    if (data.principal?.kind !== 'admin' || !hasPermission(data.principal, 'SUPPORT_CHAT')) continue;
    byAdmin.set(data.principal.adminId, { adminId: data.principal.adminId, displayName: data.displayName });
  }
  return [...byAdmin.values()].sort(
    (a, b) => a.displayName.localeCompare(b.displayName) || a.adminId.localeCompare(b.adminId),
  );
}

/** Sends the current viewers to everyone viewing the conversation; returns them. */
export async function publishViewers(nsp: SupportNamespace, conversationId: string): Promise<ConversationViewer[]> {
  const viewers = await currentViewers(nsp, conversationId);
  nsp.to(viewersRoom(conversationId)).emit(ServerEvent.VIEWERS_UPDATED, { conversationId, viewers });
  return viewers;
}
