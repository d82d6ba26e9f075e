// Two agents, one conversation: under the conversation's header, who else has it open ("Marcus
// Lee is also here") and who of them is writing a reply ("Marcus Lee is typing a reply…"). The
// viewers come from the server's viewers:<id> room (every process), the typing from the admins'
// typing events; your own tabs are never listed. Users never see any of it.
import type { ConversationViewer } from '../../../../common/realtime';
import { useColleaguesTyping, useConversationViewers } from '../../chat/socket';

/** "Marcus", "Marcus and Ana", "Marcus, Ana and Li". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The line's words: colleagues typing first, then the others who have it open. */
export function presenceText(viewers: readonly ConversationViewer[], typing: readonly ConversationViewer[]): string {
  const typingIds = new Set(typing.map((agent) => agent.adminId));
  const typingNames = typing.map((agent) => agent.displayName);
  const here = viewers.filter((viewer) => !typingIds.has(viewer.adminId)).map((viewer) => viewer.displayName);
  const parts: string[] = [];
  if (typingNames.length > 0) {
    parts.push(`${listNames(typingNames)} ${typingNames.length === 1 ? 'is' : 'are'} typing a reply…`);
  }
  if (here.length > 0) parts.push(`${listNames(here)} ${here.length === 1 ? 'is' : 'are'} also here`);
  return parts.join(' · ');
}

export function PresenceLine({
  viewers,
  typing,
}: {
  /** The other agents viewing the conversation (not you). */
  viewers: readonly ConversationViewer[];
  /** The other agents typing a reply in it. */
  typing: readonly ConversationViewer[];
}) {
  const text = presenceText(viewers, typing);
  // Always rendered (a live region announces changes only once it exists); empty takes no room.
  return (
    <div
      aria-live="polite"
      data-testid="presence-line"
      className={
        text
          ? 'flex shrink-0 items-center gap-2 border-b border-brand-100 bg-brand-50 px-4 py-1 text-xs text-brand-800'
          : 'sr-only'
      }
    >
      {text && (
        <>
          <span
            aria-hidden="true"
            className={`h-2 w-2 shrink-0 rounded-full ${typing.length > 0 ? 'animate-pulse bg-brand-500' : 'bg-brand-500'}`}
          />
          <span className="min-w-0 truncate">{text}</span>
        </>
      )}
    </div>
  );
}

/** The presence line of one conversation, for the signed-in agent. */
export function ConversationPresence({
  conversationId,
  ownAdminId,
}: {
  conversationId: string;
  ownAdminId: string | null;
}) {
  const viewers = useConversationViewers(conversationId);
  const typing = useColleaguesTyping(conversationId);
  return (
    <PresenceLine
      viewers={viewers.filter((viewer) => viewer.adminId !== ownAdminId)}
      typing={typing.filter((agent) => agent.adminId !== ownAdminId)}
    />
  );
}
