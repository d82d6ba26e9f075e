// /admin/support-chat: the support dashboard. Three panels on a wide screen: every conversation
// (left), the chat (centre), the order and the user's details (right). At 768-1279 px the details open in a side
// panel; on a phone the list and the chat take turns. The open conversation is in the URL
// (/admin/support-chat/<id>), so it survives a reload and can be shared with a colleague.
import { useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useUnreadTotals } from '../../chat/hooks';
import { OrderPanel } from '../../orders/OrderPanel';
import { Drawer } from '../../ui/Drawer';
import { ChatIcon } from '../../ui/icons';
import { ConversationPanel } from './ConversationPanel';
import { InboxPanel } from './InboxPanel';
import { UserPanel } from './UserPanel';

const BASE_PATH = '/admin/support-chat';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tab title carries the number of conversations waiting for an answer. */
function useUnreadTitle() {
  const unread = useUnreadTotals();
  const count = unread.data?.conversations ?? 0;
  useEffect(() => {
    const previous = document.title;
    document.title = count > 0 ? `(${count}) Support chat` : 'Support chat';
    return () => {
      document.title = previous;
    };
  }, [count]);
}

export function SupportChatPage() {
  const navigate = useNavigate();
  const splat = useParams()['*'] ?? '';
  const selectedId = UUID.test(splat) ? splat : null;
  const [detailsOpen, setDetailsOpen] = useState(false);
  // ?message=<id>: the message or note an inbox search matched (the thread scrolls to it).
  const [searchParams] = useSearchParams();
  const focusId = searchParams.get('message');
  const open = (id: string, matchId?: string) => {
    setDetailsOpen(false);
    navigate(`${BASE_PATH}/${id}${matchId ? `?message=${matchId}` : ''}`);
  };
  useUnreadTitle();

  return (
    <div className="flex min-h-0 flex-1">
      <aside
        className={`${selectedId ? 'hidden md:flex' : 'flex'} w-full min-w-0 flex-col border-r border-gray-200 bg-white md:w-80 md:shrink-0 lg:w-96`}
      >
        <InboxPanel selectedId={selectedId} onSelect={open} />
      </aside>
      <section
        aria-label="Conversation"
        className={`${selectedId ? 'flex' : 'hidden md:flex'} min-w-0 flex-1 flex-col bg-gray-50`}
      >
        {selectedId ? (
          <ConversationPanel
            key={selectedId}
            conversationId={selectedId}
            onBack={() => navigate(BASE_PATH)}
            onShowDetails={() => setDetailsOpen(true)}
            focusId={focusId}
          />
        ) : (
          <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-gray-500">
            <ChatIcon className="h-10 w-10 text-gray-300" />
            <p className="text-sm">Choose a conversation to read and answer it.</p>
          </div>
        )}
      </section>
      {selectedId && (
        <aside
          aria-label="User details"
          className="hidden w-80 shrink-0 overflow-y-auto border-l border-gray-200 bg-white xl:block"
        >
          <OrderPanel key={selectedId} conversationId={selectedId} onOpen={open} />
          <UserPanel conversationId={selectedId} onOpen={open} />
        </aside>
      )}
      {selectedId && detailsOpen && (
        <Drawer title="User details" side="right" onClose={() => setDetailsOpen(false)}>
          <div className="overflow-y-auto">
            <OrderPanel key={selectedId} conversationId={selectedId} onOpen={open} />
            <UserPanel conversationId={selectedId} onOpen={open} />
          </div>
        </Drawer>
      )}
    </div>
  );
}
