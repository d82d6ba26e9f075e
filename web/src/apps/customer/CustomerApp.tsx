// The customer app: Help -> Chat Support (spec section 5).
import { Link } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { buttonClass } from '../../ui/Button';
import { BagIcon } from '../../ui/icons';
import type { HelpTopic } from '../shared/HelpPage';
import { HelpTopBar } from '../shared/HelpTopBar';
import { PageContainer, UserAppShell } from '../shared/UserAppShell';

export const CUSTOMER_HELP_PATH = '/customer/help';
export const CUSTOMER_CHAT_PATH = '/customer/help/chat';

export const CUSTOMER_HELP_TOPICS: readonly HelpTopic[] = [
  {
    question: 'Where is my order?',
    answer: 'Open the order on the home screen to follow the driver live. Most orders arrive within 35 minutes.',
  },
  {
    question: 'Something is missing or wrong',
    answer: 'Chat with support and send a photo of what you received; we will refund or resend the missing items.',
  },
  {
    question: 'When do I get my refund?',
    answer: 'Refunds go back to your payment method within 3 to 5 working days.',
  },
];

export function CustomerApp() {
  return (
    <UserAppShell
      topBar={
        <HelpTopBar
          name="Customer"
          icon={<BagIcon className="h-4.5 w-4.5" />}
          accent="bg-orange-500"
          home="/customer"
        />
      }
    />
  );
}

const recentOrders = [
  { id: '#5120', place: 'Green Bowl Kitchen', items: '2 items', status: 'On the way', eta: 'Arrives in 12 min' },
  { id: '#5087', place: 'Napoli Pizza', items: '1 item', status: 'Delivered', eta: 'Yesterday' },
];

export function CustomerHome() {
  const { me } = useAuth();
  return (
    <PageContainer>
      <h1 className="text-xl font-semibold text-gray-900">Hello {me?.displayName.split(' ')[0]}</h1>
      <p className="mt-1 text-sm text-gray-600">Your orders</p>
      <ul className="mt-4 space-y-3">
        {recentOrders.map((order) => (
          <li key={order.id} className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="truncate font-medium text-gray-900">{order.place}</p>
                <p className="text-sm text-gray-600">
                  Order {order.id} · {order.items}
                </p>
              </div>
              <span
                className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${
                  order.status === 'Delivered' ? 'bg-gray-100 text-gray-700' : 'bg-orange-50 text-orange-700'
                }`}
              >
                {order.status}
              </span>
            </div>
            <p className="mt-2 text-sm text-gray-500">{order.eta}</p>
          </li>
        ))}
      </ul>
      <section className="mt-6 rounded-xl bg-brand-50 p-4">
        <h2 className="font-medium text-gray-900">Need help with an order?</h2>
        <p className="mt-1 text-sm text-gray-600">Our support team is here every day.</p>
        <Link to={CUSTOMER_HELP_PATH} className={buttonClass('primary', 'mt-3')}>
          Get help
        </Link>
      </section>
    </PageContainer>
  );
}
