// Dashboard: the order of the open conversation. Its status timeline, items and total, how late
// it is against its ETA, the three parties (each with their details on demand and a way to start
// a conversation with them about the order), and every conversation about the order. Without a
// linked order: a search of the user's orders to link one.
import { useId, useState } from 'react';
import type { OrderDto, OrderParty } from '../../../common/orders';
import type { ConversationDto, OrderCase, UserDetails } from '../../../common/support';
import { Facts } from '../admin/support-chat/UserPanel';
import { STATUS_LABELS } from '../admin/workflow/snooze';
import { ApiError } from '../api/api-error';
import { formatDateTime, formatTime, isSameDay } from '../chat/format';
import { useConversation } from '../chat/hooks';
import { USER_TYPE_LABELS } from '../chat/labels';
import { useDebouncedValue } from '../chat/use-debounced-value';
import { Button } from '../ui/Button';
import { Spinner } from '../ui/Spinner';
import { formatMoney, lateness, orderNumber, statusLabel } from './format';
import { useContactParty, useLinkOrder, useOrderCase, useOrdersToLink } from './hooks';
import { OrderStatusPill } from './OrderCard';

const PARTIES: OrderParty[] = ['customer', 'restaurant', 'driver'];
const heading = 'text-xs font-semibold tracking-wide text-gray-500 uppercase';

export function OrderPanel({ conversationId, onOpen }: { conversationId: string; onOpen: (id: string) => void }) {
  const conversation = useConversation(conversationId).data;
  const [changing, setChanging] = useState(false);
  if (!conversation) return null;
  const order = conversation.order;
  return (
    <section aria-label="Order" className="space-y-4 border-b border-gray-200 p-4">
      {order && !changing ? (
        <LinkedOrder
          orderId={order.id}
          conversation={conversation}
          onOpen={onOpen}
          onChange={() => setChanging(true)}
        />
      ) : (
        <LinkOrderSearch
          conversation={conversation}
          onDone={() => setChanging(false)}
          {...(order ? { onCancel: () => setChanging(false) } : {})}
        />
      )}
    </section>
  );
}

function LinkedOrder({
  orderId,
  conversation,
  onOpen,
  onChange,
}: {
  orderId: string;
  conversation: ConversationDto;
  onOpen: (id: string) => void;
  onChange: () => void;
}) {
  const orderCase = useOrderCase(orderId);
  if (orderCase.isPending) return <Spinner label="Loading the order" />;
  if (orderCase.error || !orderCase.data) {
    return (
      <div role="alert" className="space-y-2 text-sm text-gray-600">
        <p>The order could not be loaded.</p>
        <Button variant="secondary" onClick={() => orderCase.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  const { order, parties, conversations } = orderCase.data;
  const late = order.minutesLate > 0 && order.status !== 'cancelled';
  return (
    <>
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="flex flex-wrap items-center gap-2 font-semibold text-gray-900">
            Order {orderNumber(order.number)}
            <OrderStatusPill status={order.status} />
          </h3>
          {order.status !== 'cancelled' && (
            <p className={`text-sm ${late ? 'font-medium text-red-700' : 'text-gray-600'}`}>
              {lateness(order.minutesLate, order.status === 'delivered')} · ETA {formatTime(order.etaAt)}
            </p>
          )}
          <p className="text-xs text-gray-500">Delivery to {order.deliveryArea}</p>
        </div>
        <Button variant="ghost" className="px-2 text-xs" onClick={onChange}>
          Change
        </Button>
      </div>
      <Timeline order={order} />
      <Items order={order} />
      <Parties orderCase={orderCase.data} conversation={conversation} parties={parties} onOpen={onOpen} />
      <div>
        <h4 className={heading}>Conversations about this order</h4>
        <ul className="mt-2 space-y-1">
          {conversations.map((other) => (
            <li key={other.id}>
              <button
                type="button"
                onClick={() => onOpen(other.id)}
                aria-current={other.id === conversation.id ? 'true' : undefined}
                className="flex min-h-11 w-full flex-col items-start rounded-lg px-2 py-1.5 text-left text-sm hover:bg-gray-100 aria-[current]:bg-brand-50"
              >
                <span className="w-full truncate font-medium text-gray-800">
                  {USER_TYPE_LABELS[other.userType]}: {other.user?.displayName ?? ''}
                </span>
                <span className="text-xs text-gray-600">
                  {STATUS_LABELS[other.status]} · {other.subject ?? 'No topic'}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}

function Timeline({ order }: { order: OrderDto }) {
  return (
    <div>
      <h4 className={heading}>Timeline</h4>
      <ol className="mt-2 space-y-1 border-l-2 border-gray-200 pl-3 text-sm">
        {order.timeline.map((step) => (
          <li key={step.status} className="flex justify-between gap-2">
            <span className="text-gray-800">{statusLabel(step.status)}</span>
            <time dateTime={step.at} className="shrink-0 text-gray-500">
              {isSameDay(step.at, new Date()) ? formatTime(step.at) : formatDateTime(step.at)}
            </time>
          </li>
        ))}
      </ol>
    </div>
  );
}

function Items({ order }: { order: OrderDto }) {
  return (
    <div>
      <h4 className={heading}>Items</h4>
      <ul className="mt-2 space-y-1 text-sm">
        {order.items.map((item) => (
          <li key={item.name} className="flex justify-between gap-2">
            <span className="text-gray-800">
              {item.quantity} × {item.name}
            </span>
            <span className="text-gray-600">{formatMoney(item.quantity * item.unitPriceCents, order.currency)}</span>
          </li>
        ))}
        <li className="flex justify-between gap-2 border-t border-gray-100 pt-1 font-semibold text-gray-900">
          <span>Total</span>
          <span>{formatMoney(order.totalCents, order.currency)}</span>
        </li>
      </ul>
    </div>
  );
}

function Parties({
  orderCase,
  conversation,
  parties,
  onOpen,
}: {
  orderCase: OrderCase;
  conversation: ConversationDto;
  parties: OrderCase['parties'];
  onOpen: (id: string) => void;
}) {
  return (
    <div>
      <h4 className={heading}>Parties</h4>
      <ul className="mt-2 space-y-2">
        {PARTIES.map((party) => (
          <Party
            key={party}
            party={party}
            user={parties[party]}
            orderId={orderCase.order.id}
            number={orderCase.order.number}
            isThisConversation={parties[party]?.userId === conversation.userId}
            onOpen={onOpen}
          />
        ))}
      </ul>
    </div>
  );
}

function Party({
  party,
  user,
  orderId,
  number,
  isThisConversation,
  onOpen,
}: {
  party: OrderParty;
  user: UserDetails | null;
  orderId: string;
  number: number;
  isThisConversation: boolean;
  onOpen: (id: string) => void;
}) {
  const [showDetails, setShowDetails] = useState(false);
  const [writing, setWriting] = useState(false);
  const label = USER_TYPE_LABELS[party];
  if (!user) {
    return (
      <li className="text-sm text-gray-500">
        {label}: <span className="italic">not dispatched yet</span>
      </li>
    );
  }
  return (
    <li className="rounded-lg border border-gray-200 p-2 text-sm">
      <button
        type="button"
        onClick={() => setShowDetails((open) => !open)}
        aria-expanded={showDetails}
        className="flex min-h-11 w-full flex-col items-start text-left"
      >
        <span className="text-xs text-gray-500">
          {label}
          {isThisConversation ? ' · this conversation' : ''}
        </span>
        <span className="w-full truncate font-medium text-brand-700 hover:underline">{user.displayName}</span>
      </button>
      {!isThisConversation && !writing && (
        <Button variant="secondary" className="mt-1 w-full px-2 text-xs" onClick={() => setWriting(true)}>
          Contact {party} about {orderNumber(number)}
        </Button>
      )}
      {showDetails && (
        <div className="mt-2">
          <Facts user={user} />
        </div>
      )}
      {writing && (
        <ContactForm
          orderId={orderId}
          party={party}
          firstName={user.displayName.split(' ')[0] ?? ''}
          number={number}
          onCancel={() => setWriting(false)}
          onSent={(id) => {
            setWriting(false);
            onOpen(id);
          }}
        />
      )}
    </li>
  );
}

function ContactForm({
  orderId,
  party,
  firstName,
  number,
  onCancel,
  onSent,
}: {
  orderId: string;
  party: OrderParty;
  firstName: string;
  number: number;
  onCancel: () => void;
  onSent: (conversationId: string) => void;
}) {
  const contact = useContactParty(orderId);
  const [body, setBody] = useState(`Hi ${firstName}, this is Support about order ${orderNumber(number)}. `);
  const id = useId();
  const send = () =>
    contact.mutate({ party, body: body.trim() }, { onSuccess: ({ conversation }) => onSent(conversation.id) });
  return (
    <div className="mt-2 space-y-2">
      <label htmlFor={id} className="block text-xs font-medium text-gray-600">
        First message to the {party}
      </label>
      <textarea
        id={id}
        rows={3}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        className="w-full rounded-lg border border-gray-300 px-2 py-1.5 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
      />
      {contact.error && (
        <p role="alert" className="text-xs text-red-700">
          {contact.error instanceof ApiError ? contact.error.message : 'Not sent. Try again.'}
        </p>
      )}
      <div className="flex gap-2">
        <Button className="px-3 text-xs" onClick={send} disabled={contact.isPending || !body.trim()}>
          {contact.isPending ? 'Starting…' : 'Start conversation'}
        </Button>
        <Button variant="secondary" className="px-3 text-xs" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

function LinkOrderSearch({
  conversation,
  onDone,
  onCancel,
}: {
  conversation: ConversationDto;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const [number, setNumber] = useState('');
  const search = useDebouncedValue(number.trim().replace(/^#/, ''), 300);
  const valid = /^\d{0,10}$/.test(search);
  const candidates = useOrdersToLink(conversation.id, search, valid);
  const link = useLinkOrder(conversation.id);
  const id = useId();
  const choose = (orderId: string | null) => link.mutate(orderId, { onSuccess: onDone });
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between">
        <h3 className={heading}>Order</h3>
        {onCancel && (
          <Button variant="ghost" className="px-2 text-xs" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
      {!conversation.order && <p className="text-sm text-gray-500">No order linked.</p>}
      <label htmlFor={id} className="block text-xs font-medium text-gray-600">
        Link one of {conversation.user?.displayName ?? 'the user'}'s orders (search by number)
      </label>
      <input
        id={id}
        type="search"
        inputMode="numeric"
        value={number}
        onChange={(event) => setNumber(event.target.value)}
        placeholder="#4821"
        className="min-h-11 w-full rounded-lg border border-gray-300 px-3 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
      />
      {candidates.isPending && valid ? (
        <Spinner label="Searching orders" />
      ) : (
        <ul className="space-y-1">
          {(candidates.data?.items ?? []).map((order) => (
            <li key={order.id}>
              <button
                type="button"
                disabled={link.isPending}
                onClick={() => choose(order.id)}
                className="flex min-h-11 w-full items-center justify-between gap-2 rounded-lg px-2 py-1.5 text-left text-sm hover:bg-gray-100"
              >
                <span className="min-w-0">
                  <span className="font-medium text-gray-900">{orderNumber(order.number)}</span>{' '}
                  <span className="text-xs text-gray-500">
                    {order.restaurantName} · {formatDateTime(order.placedAt)}
                  </span>
                </span>
                <OrderStatusPill status={order.status} />
              </button>
            </li>
          ))}
          {candidates.data?.items.length === 0 && <li className="text-sm text-gray-500">No matching orders.</li>}
        </ul>
      )}
      {conversation.order && (
        <Button variant="ghost" className="px-2 text-xs" onClick={() => choose(null)} disabled={link.isPending}>
          Remove the link to {orderNumber(conversation.order.number)}
        </Button>
      )}
      {link.error && (
        <p role="alert" className="text-xs text-red-700">
          {link.error instanceof ApiError ? link.error.message : 'The order could not be linked. Try again.'}
        </p>
      )}
    </div>
  );
}
