// The restaurant app: Help -> Chat Support (spec section 5).
import { useAuth } from '../../auth/AuthProvider';
import { StoreIcon } from '../../ui/icons';
import type { HelpTopic } from '../shared/HelpPage';
import { HelpTopBar } from '../shared/HelpTopBar';
import { PageContainer, UserAppShell } from '../shared/UserAppShell';

export const RESTAURANT_HELP_PATH = '/restaurant/help';
export const RESTAURANT_CHAT_PATH = '/restaurant/help/chat';

export const RESTAURANT_HELP_TOPICS: readonly HelpTopic[] = [
  {
    question: 'How do I pause new orders?',
    answer: 'Set your kitchen to busy from the tablet; new orders pause until you switch it back.',
  },
  {
    question: 'When are payouts made?',
    answer: 'Payouts are sent every Monday for the previous week, with a statement you can download.',
  },
  {
    question: 'A driver has not arrived',
    answer: 'Chat with support: we can see the driver live and reassign the order if needed.',
  },
];

export function RestaurantApp() {
  return (
    <UserAppShell
      topBar={
        <HelpTopBar
          name="Restaurant"
          icon={<StoreIcon className="h-4.5 w-4.5" />}
          accent="bg-rose-500"
          home="/restaurant"
        />
      }
    />
  );
}

const incoming = [
  { id: '#5120', items: '1× Poke bowl, 1× Lemonade', status: 'Preparing', due: 'Pickup in 6 min' },
  { id: '#5123', items: '2× Falafel wrap', status: 'New', due: 'Accept within 2 min' },
  { id: '#5119', items: '1× Buddha bowl', status: 'Ready', due: 'Driver arriving' },
];

export function RestaurantHome() {
  const { me } = useAuth();
  return (
    <PageContainer>
      <h1 className="text-xl font-semibold text-gray-900">{me?.displayName}</h1>
      <p className="mt-1 text-sm text-gray-600">Open · accepting orders</p>
      <section aria-labelledby="restaurant-today" className="mt-5 grid grid-cols-3 gap-3">
        <h2 id="restaurant-today" className="sr-only">
          Today
        </h2>
        {[
          ['Orders', '23'],
          ['Avg. prep', '11 min'],
          ['Rating', '4.8'],
        ].map(([label, value]) => (
          <div key={label} className="rounded-xl border border-gray-200 bg-white p-3 shadow-sm">
            <p className="text-xs text-gray-500">{label}</p>
            <p className="mt-1 text-lg font-semibold text-gray-900">{value}</p>
          </div>
        ))}
      </section>
      <h2 className="mt-6 text-sm font-semibold text-gray-900">Current orders</h2>
      <ul className="mt-2 divide-y divide-gray-100 rounded-xl border border-gray-200 bg-white shadow-sm">
        {incoming.map((order) => (
          <li key={order.id} className="flex items-start justify-between gap-3 p-4">
            <div className="min-w-0">
              <p className="font-medium text-gray-900">Order {order.id}</p>
              <p className="truncate text-sm text-gray-600">{order.items}</p>
              <p className="text-xs text-gray-500">{order.due}</p>
            </div>
            <span className="shrink-0 rounded-full bg-gray-100 px-2 py-0.5 text-xs font-medium text-gray-700">
              {order.status}
            </span>
          </li>
        ))}
      </ul>
    </PageContainer>
  );
}
