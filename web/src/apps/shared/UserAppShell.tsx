// The frame of the driver, customer and restaurant apps: a phone-first top bar with the app's
// name and its own navigation (a menu for drivers, Help for customers and restaurants).
import type { ReactNode } from 'react';
import { Outlet } from 'react-router';
import { ConnectionBanner } from '../../chat/socket';

/** `children`: overlays that belong to the shell (e.g. the driver's menu drawer). */
export function UserAppShell({ topBar, children }: { topBar: ReactNode; children?: ReactNode }) {
  return (
    <div className="flex h-full flex-col">
      <header className="sticky top-0 z-30 flex min-h-14 shrink-0 items-center gap-2 border-b border-gray-200 bg-white px-2 pt-[env(safe-area-inset-top)] sm:px-4">
        {topBar}
      </header>
      <ConnectionBanner />
      <div className="flex min-h-0 flex-1 flex-col">
        <Outlet />
      </div>
      {children}
    </div>
  );
}

/** App name with its coloured mark, for the top bar. */
export function AppTitle({ name, accent, icon }: { name: string; accent: string; icon: ReactNode }) {
  return (
    <span className="flex min-w-0 items-center gap-2 px-1 font-semibold text-gray-900">
      <span
        aria-hidden="true"
        className={`flex h-8 w-8 shrink-0 items-center justify-center rounded-lg text-white ${accent}`}
      >
        {icon}
      </span>
      <span className="truncate">{name}</span>
    </span>
  );
}

export function PageContainer({ children }: { children: ReactNode }) {
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto w-full max-w-2xl px-4 py-5 sm:py-8">{children}</div>
    </div>
  );
}
