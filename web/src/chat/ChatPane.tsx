// The chat with one conversation, the same for admins and users: loading and error states, the
// history, who is typing, and the composer (the whole pane takes dropped files). The caller gives
// the header and the words of its side; the viewer's side comes from the session.
import { type ReactNode, useRef } from 'react';
import type { ConversationDto } from '../../../common/support';
import { ApiError } from '../api/api-error';
import { Spinner } from '../ui/Spinner';
import { ChatThread, type InterleavedItem } from './ChatThread';
import { Composer } from './Composer';
import {
  useAttachmentLimits,
  useAutoMarkRead,
  useConversation,
  useRefreshAttachmentUrls,
  useSendMessage,
  useThread,
  useUploadAttachment,
  useViewer,
} from './hooks';
import type { SlashCommands } from './slash-commands';
import { useTypingEmitter, useTypingNames } from './socket';
import { TypingIndicator } from './TypingIndicator';

export function ChatPane({
  conversationId,
  header,
  missingText,
  backAction,
  label,
  emptyState,
  placeholder,
  footer,
  interleaved,
  composer,
  confirmSend,
  colleaguesTyping = true,
  slashCommands,
  focusId,
}: {
  conversationId: string;
  /** The bar above the history, once the conversation has loaded. */
  header: (conversation: ConversationDto) => ReactNode;
  /** Shown when the conversation is not there (or not the viewer's: the API answers 404 alike). */
  missingText: string;
  /** The way back, offered when the conversation cannot be shown. */
  backAction: ReactNode;
  /** Accessible name of the message list. */
  label: (conversation: ConversationDto) => string;
  emptyState: ReactNode;
  placeholder?: (conversation: ConversationDto) => string;
  /** Shown between the history and the composer (e.g. the user's rating card). */
  footer?: (conversation: ConversationDto) => ReactNode;
  /** Items shown among the messages by time (the admins' internal notes). */
  interleaved?: readonly InterleavedItem[];
  /** Wraps the composer (the admins' Reply / Note switch). */
  composer?: (composer: ReactNode) => ReactNode;
  /** Asked before each reply or file goes out (see Composer); false sends nothing. */
  confirmSend?: () => boolean | Promise<boolean>;
  /** Admins: leave colleagues out of the typing line under the thread (shown elsewhere). */
  colleaguesTyping?: boolean;
  /** "/" in the composer (the admins' saved replies). */
  slashCommands?: SlashCommands;
  /** A message or interleaved item to scroll to and highlight once it is shown (a search match). */
  focusId?: string | null;
}) {
  const conversation = useConversation(conversationId);
  const thread = useThread(conversationId);
  const { send, retry } = useSendMessage(conversationId);
  const upload = useUploadAttachment(conversationId);
  const limits = useAttachmentLimits();
  const refreshUrls = useRefreshAttachmentUrls();
  const typing = useTypingEmitter(conversationId);
  // Admins see the user's name; a user's conversation has no `user`, and the hook says "You".
  const userName = conversation.data?.user?.displayName;
  const typingNames = useTypingNames(conversationId, { userName, colleagues: colleaguesTyping });
  const { side, adminId } = useViewer();
  const pane = useRef<HTMLDivElement>(null);
  useAutoMarkRead(conversationId, thread.messages);

  if (conversation.error) {
    const missing = conversation.error instanceof ApiError && conversation.error.status === 404;
    return (
      <div
        role="alert"
        className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-sm text-gray-600"
      >
        <p>{missing ? missingText : 'The conversation could not be loaded.'}</p>
        {backAction}
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
    <div ref={pane} className="flex min-h-0 flex-1 flex-col">
      {header(conversation.data)}
      <ChatThread
        messages={thread.messages}
        viewerSide={side}
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
        label={label(conversation.data)}
        emptyState={emptyState}
        interleaved={interleaved}
        focusId={focusId}
      />
      <TypingIndicator names={typingNames} />
      {footer?.(conversation.data)}
      {/* Phones: keep the composer above the home indicator. */}
      <div className="pb-[env(safe-area-inset-bottom)]">
        {(composer ?? ((node: ReactNode) => node))(
          <Composer
            key={conversationId}
            onSend={send}
            onUpload={upload}
            limits={limits.data}
            dropTargetRef={pane}
            placeholder={placeholder?.(conversation.data)}
            confirmSend={confirmSend}
            slashCommands={slashCommands}
            {...typing}
          />,
        )}
      </div>
    </div>
  );
}
