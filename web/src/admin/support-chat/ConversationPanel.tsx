// Centre panel of the dashboard: the chat with one user. Header with the user, status and
// assignee and the actions (assign to me, resolve / reopen); the history; typing; the composer.
import { useRef } from 'react';
import type { ConversationDto } from '../../../../common/support';
import { ApiError } from '../../api/api-error';
import { Avatar } from '../../chat/Avatar';
import { ChatThread } from '../../chat/ChatThread';
import { Composer } from '../../chat/Composer';
import {
  useAssignConversation,
  useAttachmentLimits,
  useAutoMarkRead,
  useConversation,
  useRefreshAttachmentUrls,
  useReopenConversation,
  useResolveConversation,
  useSendMessage,
  useThread,
  useUploadAttachment,
  useViewer,
} from '../../chat/hooks';
import { USER_TYPE_LABELS } from '../../chat/labels';
import { useJoinConversation, useTypingEmitter, useTypingNames } from '../../chat/socket';
import { TypingIndicator } from '../../chat/TypingIndicator';
import { Button } from '../../ui/Button';
import { ChevronLeftIcon } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';

export function ConversationPanel({
  conversationId,
  onBack,
  onShowDetails,
}: {
  conversationId: string;
  /** Phones and tablets: back to the list. */
  onBack: () => void;
  /** Narrow screens: open the user details. */
  onShowDetails: () => void;
}) {
  const conversation = useConversation(conversationId);
  const thread = useThread(conversationId);
  const { send, retry } = useSendMessage(conversationId);
  const upload = useUploadAttachment(conversationId);
  const limits = useAttachmentLimits();
  const refreshUrls = useRefreshAttachmentUrls();
  const typing = useTypingEmitter(conversationId);
  const userName = conversation.data?.user?.displayName;
  const typingNames = useTypingNames(conversationId, { userName });
  const { adminId } = useViewer();
  const panel = useRef<HTMLDivElement>(null);
  useJoinConversation(conversationId);
  useAutoMarkRead(conversationId, thread.messages);

  if (conversation.error) {
    const missing = conversation.error instanceof ApiError && conversation.error.status === 404;
    return (
      <div
        role="alert"
        className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-sm text-gray-600"
      >
        <p>{missing ? 'This conversation does not exist.' : 'The conversation could not be loaded.'}</p>
        <Button variant="secondary" onClick={onBack}>
          Back to the inbox
        </Button>
      </div>
    );
  }
  if (!conversation.data) {
    return (
      <div className="flex flex-1 items-center justify-center">
        <Spinner label="Loading the conversation" />
      </div>
    );
  }

  return (
    <div ref={panel} className="flex min-h-0 flex-1 flex-col">
      <ConversationHeader
        conversation={conversation.data}
        ownAdminId={adminId}
        onBack={onBack}
        onShowDetails={onShowDetails}
      />
      <ChatThread
        messages={thread.messages}
        viewerSide="admin"
        viewerAdminId={adminId}
        userName={userName}
        hasOlder={thread.hasOlder}
        isLoadingOlder={thread.isLoadingOlder}
        onLoadOlder={thread.loadOlder}
        isLoading={thread.isPending}
        error={thread.error}
        onRetry={() => thread.refetch()}
        onRefreshUrls={refreshUrls}
        onRetrySend={retry}
        label={`Messages with ${userName ?? 'the user'}`}
        emptyState={<p>No messages yet. Say hello!</p>}
      />
      <TypingIndicator names={typingNames} />
      <Composer
        key={conversationId}
        onSend={send}
        onUpload={upload}
        limits={limits.data}
        dropTargetRef={panel}
        placeholder={`Reply to ${userName ?? 'the user'}…`}
        {...typing}
      />
    </div>
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
          {conversation.subject ?? 'No topic'} ·{' '}
          <span className={conversation.status === 'open' ? 'text-emerald-700' : 'text-gray-500'}>
            {conversation.status === 'open' ? 'Open' : 'Resolved'}
          </span>{' '}
          · {conversation.assignee ? `Assigned to ${mine ? 'you' : conversation.assignee.displayName}` : 'Unassigned'}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {!mine && (
          <Button variant="secondary" onClick={() => assign.mutate({})} disabled={assign.isPending}>
            Assign to me
          </Button>
        )}
        {conversation.status === 'open' ? (
          <Button variant="secondary" onClick={() => resolve.mutate(undefined)} disabled={resolve.isPending}>
            Resolve
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => reopen.mutate(undefined)} disabled={reopen.isPending}>
            Reopen
          </Button>
        )}
        <Button variant="ghost" className="xl:hidden" onClick={onShowDetails}>
          Details
        </Button>
      </div>
      {failed && (
        <p role="alert" className="w-full text-xs text-red-700">
          {failed instanceof ApiError ? failed.message : 'That did not work. Try again.'}
        </p>
      )}
    </header>
  );
}
