// Support chat for drivers, customers and restaurants (spec section 5), one component for the three
// apps. Routes below `basePath`: the list of the user's conversations, /new to start one, /<id>
// for a chat. On a phone these take turns; from 768 px the list stays beside the chat.
import { type FormEvent, useId, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type ConversationDto, MAX_MESSAGE_LENGTH, MAX_SUBJECT_LENGTH } from '../../../../common/support';
import { ApiError } from '../../api/api-error';
import { newClientMessageId } from '../../chat/api';
import { ChatPane } from '../../chat/ChatPane';
import { ConversationList } from '../../chat/ConversationList';
import { useCreateConversation, useMyConversations } from '../../chat/hooks';
import { NotificationsSection } from '../../notifications/NotificationsSection';
import { RatingCard } from '../../notifications/RatingCard';
import { OrderPicker } from '../../orders/OrderPicker';
import { UserOrderBar } from '../../orders/UserOrderBar';
import { Button, buttonClass } from '../../ui/Button';
import { ChatIcon, ChevronLeftIcon, PlusIcon } from '../../ui/icons';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function UserSupportChat({
  basePath,
  backTo,
  backLabel,
}: {
  basePath: string;
  backTo: string;
  backLabel: string;
}) {
  const splat = useParams()['*'] ?? '';
  const navigate = useNavigate();
  const view = splat === 'new' ? 'new' : UUID.test(splat) ? 'chat' : 'list';
  const openConversation = (id: string) => navigate(`${basePath}/${id}`);

  return (
    <div className="flex min-h-0 flex-1">
      <section
        aria-label="Your conversations"
        className={`${view === 'list' ? 'flex' : 'hidden md:flex'} w-full min-w-0 flex-col bg-white md:w-80 md:shrink-0 md:border-r md:border-gray-200`}
      >
        <ConversationsColumn
          basePath={basePath}
          backTo={backTo}
          backLabel={backLabel}
          selectedId={view === 'chat' ? splat : null}
          onOpen={openConversation}
        />
      </section>
      <section
        aria-label={view === 'new' ? 'New conversation' : 'Chat'}
        className={`${view === 'list' ? 'hidden md:flex' : 'flex'} min-w-0 flex-1 flex-col bg-gray-50`}
      >
        {view === 'chat' && <UserChat key={splat} conversationId={splat} listPath={basePath} />}
        {view === 'new' && <NewConversation listPath={basePath} onCreated={openConversation} />}
        {view === 'list' && (
          <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-gray-500">
            <ChatIcon className="h-10 w-10 text-gray-300" />
            <p className="text-sm">Choose a conversation, or start a new one.</p>
          </div>
        )}
      </section>
    </div>
  );
}

function ConversationsColumn({
  basePath,
  backTo,
  backLabel,
  selectedId,
  onOpen,
}: {
  basePath: string;
  backTo: string;
  backLabel: string;
  selectedId: string | null;
  onOpen: (id: string) => void;
}) {
  const mine = useMyConversations();
  return (
    <>
      <div className="border-b border-gray-200 px-3 pt-2 pb-3">
        <Link
          to={backTo}
          className="-ml-1 inline-flex min-h-11 items-center gap-1 rounded-lg px-2 text-sm font-medium text-gray-600 hover:bg-gray-100"
        >
          <ChevronLeftIcon className="h-4 w-4" />
          {backLabel}
        </Link>
        <div className="mt-1 flex items-center justify-between gap-2">
          <h1 className="text-xl font-semibold text-gray-900">Support chat</h1>
          <Link to={`${basePath}/new`} className={buttonClass('primary', 'px-3')}>
            <PlusIcon className="h-4 w-4" />
            New
          </Link>
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <ConversationList
          conversations={mine.conversations}
          viewer="user"
          selectedId={selectedId}
          onSelect={onOpen}
          isLoading={mine.isPending}
          error={mine.error}
          onRetry={() => mine.refetch()}
          hasMore={mine.hasNextPage}
          isLoadingMore={mine.isFetchingNextPage}
          onLoadMore={() => mine.fetchNextPage()}
          label="Your conversations"
          emptyState={
            <div className="space-y-3">
              <p>No conversations yet.</p>
              <Link to={`${basePath}/new`} className={buttonClass('secondary')}>
                Ask support a question
              </Link>
            </div>
          }
        />
      </div>
      <NotificationsSection />
    </>
  );
}

function NewConversation({ listPath, onCreated }: { listPath: string; onCreated: (id: string) => void }) {
  const create = useCreateConversation();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  /** undefined until the user's orders arrive (then the one in progress is preselected). */
  const [orderId, setOrderId] = useState<string | null | undefined>(undefined);
  const clientMessageId = useRef(newClientMessageId());
  const ids = { subject: useId(), body: useId(), error: useId(), order: useId() };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const message = body.trim();
    create.mutate(
      {
        ...(subject.trim() ? { subject: subject.trim() } : {}),
        ...(message ? { message: { body: message, clientMessageId: clientMessageId.current } } : {}),
        ...(orderId ? { orderId } : {}),
      },
      { onSuccess: ({ conversation }) => onCreated(conversation.id) },
    );
  };
  const error =
    create.error instanceof ApiError ? create.error.message : create.error ? 'Something went wrong. Try again.' : null;

  return (
    <div className="flex-1 overflow-y-auto">
      <form
        onSubmit={submit}
        className="mx-auto w-full max-w-xl space-y-4 p-4"
        aria-describedby={error ? ids.error : undefined}
      >
        <Link
          to={listPath}
          className="-ml-1 inline-flex min-h-11 items-center gap-1 rounded-lg px-2 text-sm font-medium text-gray-600 hover:bg-gray-100 md:hidden"
        >
          <ChevronLeftIcon className="h-4 w-4" />
          Conversations
        </Link>
        <h2 className="text-lg font-semibold text-gray-900">New conversation</h2>
        <OrderPicker name={ids.order} value={orderId} onChange={setOrderId} />
        <div>
          <label htmlFor={ids.subject} className="block text-sm font-medium text-gray-800">
            Topic <span className="font-normal text-gray-500">(optional)</span>
          </label>
          <input
            id={ids.subject}
            value={subject}
            maxLength={MAX_SUBJECT_LENGTH}
            onChange={(event) => setSubject(event.target.value)}
            placeholder="e.g. Missing item in my order"
            className="mt-1 min-h-11 w-full rounded-lg border border-gray-300 px-3 text-base focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 sm:text-sm"
          />
        </div>
        <div>
          <label htmlFor={ids.body} className="block text-sm font-medium text-gray-800">
            How can we help? <span className="font-normal text-gray-500">(optional)</span>
          </label>
          <textarea
            id={ids.body}
            value={body}
            rows={5}
            maxLength={MAX_MESSAGE_LENGTH}
            onChange={(event) => setBody(event.target.value)}
            placeholder="Tell us what happened. You can add photos or a PDF in the chat."
            className="mt-1 w-full rounded-lg border border-gray-300 px-3 py-2 text-base focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 sm:text-sm"
          />
        </div>
        {error && (
          <p id={ids.error} role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        <Button type="submit" disabled={create.isPending} className="w-full sm:w-auto">
          {create.isPending ? 'Starting…' : 'Start chat'}
        </Button>
      </form>
    </div>
  );
}

function UserChat({ conversationId, listPath }: { conversationId: string; listPath: string }) {
  return (
    <ChatPane
      conversationId={conversationId}
      header={(conversation) => (
        <>
          <UserChatHeader conversation={conversation} listPath={listPath} />
          <UserOrderBar conversation={conversation} />
        </>
      )}
      footer={(conversation) =>
        conversation.status === 'resolved' ? (
          <RatingCard conversationId={conversation.id} resolvedAt={conversation.resolvedAt} />
        ) : null
      }
      missingText="This conversation is not available."
      backAction={
        <Link to={listPath} className={buttonClass('secondary')}>
          Back to your conversations
        </Link>
      }
      label={() => 'Messages with support'}
      emptyState={<p>Say hello, or send a photo or a PDF. We usually reply within minutes.</p>}
    />
  );
}

function UserChatHeader({
  conversation: { subject, status, assignee },
  listPath,
}: {
  conversation: ConversationDto;
  listPath: string;
}) {
  return (
    <header className="flex shrink-0 items-center gap-2 border-b border-gray-200 bg-white px-2 py-1.5">
      <Link
        to={listPath}
        aria-label="Back to your conversations"
        className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg text-gray-600 hover:bg-gray-100 md:hidden"
      >
        <ChevronLeftIcon className="h-5 w-5" />
      </Link>
      <div className="min-w-0 flex-1 px-1">
        <h2 className="truncate text-sm font-semibold text-gray-900">{subject ?? 'Support'}</h2>
        <p className="truncate text-xs text-gray-500">
          {status === 'resolved'
            ? 'Resolved · write to reopen it'
            : assignee
              ? `${assignee.displayName} from Support`
              : 'Our team will reply soon'}
        </p>
      </div>
    </header>
  );
}
