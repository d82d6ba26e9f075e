// The driver app: Menu -> Support Chat (spec section 5).
import { useState } from 'react';
import { NavLink } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { formatTime } from '../../chat/format';
import { useUnreadTotals } from '../../chat/hooks';
import { UnreadBadge } from '../../chat/UnreadBadge';
import { orderNumber, statusLabel } from '../../orders/format';
import { useMyOrders } from '../../orders/hooks';
import { preselectedOrder } from '../../orders/OrderPicker';
import { Drawer } from '../../ui/Drawer';
import { ChatIcon, MenuIcon, PackageIcon } from '../../ui/icons';
import { SignOutButton, SignOutEverywhereButton } from '../shared/SignOutButton';
import { AppTitle, PageContainer, UserAppShell } from '../shared/UserAppShell';

export const DRIVER_SUPPORT_PATH = '/driver/support';

export function DriverApp() {
  const [menuOpen, setMenuOpen] = useState(false);
  const unread = useUnreadTotals();
  const unreadCount = unread.data?.messages ?? 0;
  return (
    <UserAppShell
      topBar={
        <>
          <button
            type="button"
            onClick={() => setMenuOpen(true)}
            aria-haspopup="dialog"
            aria-expanded={menuOpen}
            className="relative inline-flex min-h-11 items-center gap-2 rounded-lg px-3 text-sm font-medium text-gray-700 hover:bg-gray-100"
          >
            <MenuIcon className="h-5 w-5" />
            Menu
            {unreadCount > 0 && (
              <span className="absolute top-2 left-7 h-2.5 w-2.5 rounded-full bg-brand-600 ring-2 ring-white">
                <span className="sr-only">(unread support messages)</span>
              </span>
            )}
          </button>
          <AppTitle name="Driver" accent="bg-emerald-500" icon={<PackageIcon className="h-4.5 w-4.5" />} />
        </>
      }
    >
      {menuOpen && <DriverMenu unreadCount={unreadCount} onClose={() => setMenuOpen(false)} />}
    </UserAppShell>
  );
}

function DriverMenu({ unreadCount, onClose }: { unreadCount: number; onClose: () => void }) {
  const { me } = useAuth();
  const item = ({ isActive }: { isActive: boolean }) =>
    `flex min-h-12 items-center gap-3 rounded-lg px-3 text-sm font-medium ${
      isActive ? 'bg-brand-50 text-brand-700' : 'text-gray-800 hover:bg-gray-100'
    }`;
  return (
    <Drawer title="Menu" onClose={onClose}>
      <p className="px-4 pt-3 text-sm text-gray-500">Signed in as {me?.displayName}</p>
      <nav aria-label="Driver menu" className="flex flex-1 flex-col gap-1 p-2">
        <NavLink to="/driver" end className={item} onClick={onClose}>
          <PackageIcon className="h-5 w-5" />
          Deliveries
        </NavLink>
        <NavLink to={DRIVER_SUPPORT_PATH} className={item} onClick={onClose}>
          <ChatIcon className="h-5 w-5" />
          <span className="flex-1">Support Chat</span>
          <UnreadBadge count={unreadCount} />
        </NavLink>
      </nav>
      <div className="border-t border-gray-200 p-2">
        <SignOutButton className="w-full justify-start" />
        <SignOutEverywhereButton className="w-full justify-start" />
      </div>
    </Drawer>
  );
}

export function DriverHome() {
  const { me } = useAuth();
  return (
    <PageContainer>
      <h1 className="text-xl font-semibold text-gray-900">Hi {me?.displayName.split(' ')[0]}</h1>
      <p className="mt-1 text-sm text-gray-600">You're online and ready for deliveries.</p>
      <section aria-labelledby="driver-today" className="mt-5 grid grid-cols-3 gap-3">
        <h2 id="driver-today" className="sr-only">
          Today
        </h2>
        {[
          ['Deliveries', '6'],
          ['Online', '3 h 40'],
          ['Earnings', '€58.20'],
        ].map(([label, value]) => (
          <div key={label} className="rounded-xl border border-gray-200 bg-white p-3 shadow-sm">
            <p className="text-xs text-gray-500">{label}</p>
            <p className="mt-1 text-lg font-semibold text-gray-900">{value}</p>
          </div>
        ))}
      </section>
      <CurrentDelivery />
      <p className="mt-5 text-sm text-gray-600">
        Problem with an order? Open <span className="font-medium">Menu → Support Chat</span>.
      </p>
    </PageContainer>
  );
}

/** The driver's delivery in progress, from the platform's orders. */
function CurrentDelivery() {
  const orders = useMyOrders();
  const current = preselectedOrder(orders.data?.items ?? []);
  return (
    <section aria-labelledby="driver-current" className="mt-5 rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
      <h2 id="driver-current" className="text-sm font-semibold text-gray-900">
        Current delivery
      </h2>
      {!current ? (
        <p className="mt-3 text-sm text-gray-600">{orders.isPending ? 'Loading…' : 'No delivery in progress.'}</p>
      ) : (
        <ol className="mt-3 space-y-3 text-sm">
          <li className="flex gap-3">
            <span
              className={`mt-1 h-2.5 w-2.5 shrink-0 rounded-full ${current.status === 'picked_up' ? 'bg-gray-300' : 'bg-emerald-500'}`}
              aria-hidden="true"
            />
            <span>
              <span className="block font-medium text-gray-900">Pick up · {current.restaurantName}</span>
              <span className="text-gray-600">
                Order {orderNumber(current.number)} · {statusLabel(current.status)}
              </span>
            </span>
          </li>
          <li className="flex gap-3">
            <span
              className={`mt-1 h-2.5 w-2.5 shrink-0 rounded-full ${current.status === 'picked_up' ? 'bg-emerald-500' : 'bg-gray-300'}`}
              aria-hidden="true"
            />
            <span>
              <span className="block font-medium text-gray-900">Drop off · {current.deliveryArea}</span>
              <span className="text-gray-600">
                {current.customerFirstName} · due {formatTime(current.etaAt)}
              </span>
            </span>
          </li>
        </ol>
      )}
    </section>
  );
}
