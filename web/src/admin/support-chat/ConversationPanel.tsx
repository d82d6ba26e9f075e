// Centre panel of the dashboard: the chat with one user. Header with the user, status, priority
// and assignee and the actions (assign to me, priority, resolve / reopen, the status menu with
// pending and snooze); under it, which colleagues have it open or are typing a reply; the history
// with the internal notes among the messages; the user's typing; the composer (Reply / Note),
// which asks before replying into a colleague's conversation and where "/" inserts a saved reply.
import type { ConversationDto } from '../../../../common/support';
import { ApiError } from '../../api/api-error';
import { Avatar } from '../../chat/Avatar';
import { ChatPane } from '../../chat/ChatPane';
import {
  assignErrorText,
  useAssignConversation,
  useConversation,
  useReopenConversation,
  useResolveConversation,
  useViewer,
} from '../../chat/hooks';
import { USER_TYPE_LABELS } from '../../chat/labels';
import { useJoinConversation } from '../../chat/socket';
import { RatingBadge } from '../../notifications/ConversationNotificationFacts';
import { Button } from '../../ui/Button';
import { ChevronLeftIcon } from '../../ui/icons';
import { useConfirmSendToAssigned } from '../co-agents/confirm-send';
import { ConversationPresence } from '../co-agents/PresenceLine';
import { ComposerModes } from '../notes/ComposerModes';
import { useNoteItems } from '../notes/NoteItems';
import { useReadMentionsWhileOpen } from '../notes/notes';
import { AssignToSelect } from '../routing/AssignToSelect';
import { useSavedReplyCommands } from '../saved-replies/saved-replies';
import { PrioritySelect } from '../workflow/PrioritySelect';
import { StatusMenu } from '../workflow/StatusMenu';
import { PriorityBadge, StatusBadge } from '../workflow/WorkflowBadges';
import { useShortcutCommand } from './shortcuts';

export function ConversationPanel({
  conversationId,
  onBack,
  onShowDetails,
  focusId = null,
}: {
  conversationId: string;
  /** The message or note an inbox search matched: scrolled to and highlighted once loaded. */
  focusId?: string | null;
  /** Phones and tablets: back to the list. */
  onBack: () => void;
  /** Narrow screens: open the user details. */
  onShowDetails: () => void;
}) {
  const { adminId } = useViewer();
  useJoinConversation(conversationId);
  useReadMentionsWhileOpen(conversationId);
  const notes = useNoteItems(conversationId, adminId);
  const savedReplies = useSavedReplyCommands(conversationId);
  const sendConfirmation = useConfirmSendToAssigned(useConversation(conversationId).data, adminId);
  const userNameOf = (conversation: ConversationDto) => conversation.user?.displayName ?? 'the user';
  return (
    <>
      <ChatPane
        conversationId={conversationId}
        header={(conversation) => (
          <>
            <ConversationHeader
              conversation={conversation}
              ownAdminId={adminId}
              onBack={onBack}
              onShowDetails={onShowDetails}
            />
            <ConversationPresence conversationId={conversationId} ownAdminId={adminId} />
          </>
        )}
        missingText="This conversation does not exist."
        backAction={
          <Button variant="secondary" onClick={onBack}>
            Back to the inbox
          </Button>
        }
        label={(conversation) => `Messages with ${userNameOf(conversation)}`}
        emptyState={<p>No messages yet. Say hello!</p>}
        placeholder={(conversation) => `Reply to ${userNameOf(conversation)}…`}
        interleaved={notes}
        focusId={focusId}
        slashCommands={savedReplies}
        composer={(reply) => (
          <ComposerModes conversationId={conversationId} reply={reply} slashCommands={savedReplies} />
        )}
        confirmSend={sendConfirmation.confirm}
        // Colleagues typing show in the presence line; the line under the thread is the user's.
        colleaguesTyping={false}
      />
      {sendConfirmation.dialog}
    </>
  );
}

function ConversationHeader({
  conversation,
  ownAdminId,
  onBack,
  onShowDetails,
}: {
  conversation: ConversationDto;
  ownAdminId: string | null;
  onBack: () => void;
  onShowDetails: () => void;
}) {
  const assign = useAssignConversation(conversation.id);
  const resolve = useResolveConversation(conversation.id);
  const reopen = useReopenConversation(conversation.id);
  const name = conversation.user?.displayName ?? 'User';
  const mine = conversation.adminId !== null && conversation.adminId === ownAdminId;
  const failed = assign.error ?? resolve.error ?? reopen.error;
  const failedText = assign.error
    ? assignErrorText(assign.error)
    : failed instanceof ApiError
      ? failed.message
      : 'That did not work. Try again.';
  // Taking needs the conversation to be free; someone else's is taken over explicitly.
  const takenByOther = conversation.adminId !== null && !mine;
  // Shift+R: the Resolve button's action.
  useShortcutCommand('resolve', () => {
    if (conversation.status !== 'resolved' && !resolve.isPending) resolve.mutate(undefined);
  });

  return (
    <header className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-2 border-b border-gray-200 bg-white px-3 py-2">
      <button
        type="button"
        onClick={onBack}
        className="-ml-1 inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg text-gray-600 hover:bg-gray-100 md:hidden"
        aria-label="Back to the inbox"
      >
        <ChevronLeftIcon className="h-5 w-5" />
      </button>
      <Avatar name={name} />
      {/* At least this wide: on narrow panels the actions move to their own line instead. */}
      <div className="min-w-48 flex-1">
        <h2 className="truncate text-sm font-semibold text-gray-900">
          {name}
          <span className="ml-2 rounded bg-gray-100 px-1.5 py-0.5 text-xs font-medium text-gray-600">
            {USER_TYPE_LABELS[conversation.userType]}
          </span>
        </h2>
        <p className="truncate text-xs text-gray-500">
          {conversation.subject ?? 'No topic'} · <StatusBadge conversation={conversation} />{' '}
          <PriorityBadge priority={conversation.priority} />
          <RatingBadge conversationId={conversation.id} /> ·{' '}
          {conversation.assignee ? `Assigned to ${mine ? 'you' : conversation.assignee.displayName}` : 'Unassigned'}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {!mine && (
          <Button
            variant="secondary"
            onClick={() => assign.mutate(takenByOther && ownAdminId ? { adminId: ownAdminId } : {})}
            disabled={assign.isPending}
          >
            {takenByOther ? 'Take over' : 'Assign to me'}
          </Button>
        )}
        {conversation.status !== 'resolved' && (
          <AssignToSelect conversationId={conversation.id} assigneeId={conversation.adminId} />
        )}
        <PrioritySelect conversationId={conversation.id} priority={conversation.priority} />
        {conversation.status !== 'resolved' ? (
          <Button variant="secondary" onClick={() => resolve.mutate(undefined)} disabled={resolve.isPending}>
            Resolve
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => reopen.mutate(undefined)} disabled={reopen.isPending}>
            Reopen
          </Button>
        )}
        <StatusMenu conversation={conversation} />
        <Button variant="ghost" className="xl:hidden" onClick={onShowDetails}>
          Details
        </Button>
      </div>
      {failed && (
        <p role="alert" className="w-full text-xs text-red-700">
          {failedText}
        </p>
      )}
    </header>
  );
}
