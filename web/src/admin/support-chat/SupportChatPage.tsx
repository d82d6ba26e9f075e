// /admin/support-chat: the support dashboard. Three panels on a wide screen: every conversation
// (left), the chat (centre), the order and the user's details (right). At 768-1279 px the details open in a side
// panel; on a phone the list and the chat take turns. The open conversation is in the URL
// (/admin/support-chat/<id>), so it survives a reload and can be shared with a colleague.
import { useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { OrderPanel } from '../../orders/OrderPanel';
import { Drawer } from '../../ui/Drawer';
import { ChatIcon } from '../../ui/icons';
import { ConversationPanel } from './ConversationPanel';
import { InboxPanel } from './InboxPanel';
import { ShortcutsHelpDialog } from './ShortcutsHelpDialog';
import { dispatchShortcut, useInboxShortcuts } from './shortcuts';
import { UserPanel } from './UserPanel';

const BASE_PATH = '/admin/support-chat';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const [helpOpen, setHelpOpen] = useState(false);
  const inbox = useRef<HTMLElement>(null);
  // j / k: the next or previous row of the list on screen (Inbox or Mentions), as shown.
  const step = (delta: number) => {
    const rows = Array.from(inbox.current?.querySelectorAll<HTMLButtonElement>('button[data-row]') ?? []);
    if (rows.length === 0) return;
    const current = rows.findIndex((row) => row.getAttribute('aria-current') === 'true');
    const target = rows[current === -1 ? 0 : Math.max(0, Math.min(rows.length - 1, current + delta))];
    if (!target || target.getAttribute('aria-current') === 'true') return;
    target.click();
    target.scrollIntoView?.({ block: 'nearest' });
  };
  const withConversation = (command: Parameters<typeof dispatchShortcut>[0]) => () => {
    if (selectedId) dispatchShortcut(command);
  };
  useInboxShortcuts({
    next: () => step(1),
    previous: () => step(-1),
    help: () => setHelpOpen(true),
    leaveField: () => (document.activeElement as HTMLElement | null)?.blur?.(),
    focusComposer: withConversation('focusComposer'),
    toggleNote: withConversation('toggleNote'),
    resolve: withConversation('resolve'),
    snooze: withConversation('snooze'),
  });

  return (
    <div className="flex min-h-0 flex-1">
      <aside
        ref={inbox}
        aria-label="Inbox"
        className={`${selectedId ? 'hidden md:flex' : 'flex'} w-full min-w-0 flex-col border-r border-gray-200 bg-white md:w-80 md:shrink-0 lg:w-96`}
      >
        <InboxPanel selectedId={selectedId} onSelect={open} onShowShortcuts={() => setHelpOpen(true)} />
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
      {helpOpen && <ShortcutsHelpDialog onClose={() => setHelpOpen(false)} />}
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
