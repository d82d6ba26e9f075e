// Who may do what in the support chat: one place, used by the HTTP routes and the socket
// handlers alike (through the service, which calls these before doing anything).
import type { SenderType } from '../../common/support.js';
import { errors } from '../errors.js';
import type { AdminPrincipal, Principal } from '../platform/auth/principal.js';
import { hasPermission, requirePermission } from '../platform/rbac/rbac.js';

/** The conversation's user, or an admin holding SUPPORT_CHAT. */
export function canAccessConversation(principal: Principal, conversation: { userId: string }): boolean {
  return principal.kind === 'user'
    ? principal.userId === conversation.userId
    : hasPermission(principal, 'SUPPORT_CHAT');
}

/**
 * Throws unless the principal may see the conversation. Admins without SUPPORT_CHAT get 403; users
 * get 404 for someone else's conversation, exactly as for one that does not exist, so that
 * conversation ids cannot be probed.
 */
export function assertConversationAccess<C extends { userId: string }>(
  principal: Principal,
  conversation: C | null,
): asserts conversation is C {
  if (principal.kind === 'admin') requireSupportAdmin(principal);
  if (!conversation || !canAccessConversation(principal, conversation)) throw errors.notFound('Conversation');
}

export function requireSupportAdmin(principal: Principal): AdminPrincipal {
  return requirePermission(principal, 'SUPPORT_CHAT');
}

/** The side a principal writes on: never taken from the request. */
export function senderTypeOf(principal: Principal): SenderType {
  return principal.kind === 'admin' ? 'admin' : 'user';
}
