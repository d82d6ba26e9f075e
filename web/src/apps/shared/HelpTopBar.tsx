import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useUnreadTotals } from '../../chat/hooks';
import { HelpIcon } from '../../ui/icons';
import { SignOutButton } from './SignOutButton';
import { AppTitle } from './UserAppShell';

/** Top bar of the customer and restaurant apps: home link, Help (with unread dot), sign out. */
export function HelpTopBar({
  name,
  accent,
  icon,
  home,
}: {
  name: string;
  accent: string;
  icon: ReactNode;
  home: string;
}) {
  const unread = useUnreadTotals();
  const hasUnread = (unread.data?.messages ?? 0) > 0;
  const link = ({ isActive }: { isActive: boolean }) =>
    `relative inline-flex min-h-11 items-center gap-1.5 rounded-lg px-3 text-sm font-medium ${
      isActive ? 'bg-brand-50 text-brand-700' : 'text-gray-700 hover:bg-gray-100'
    }`;
  return (
    <>
      <NavLink to={home} end className="min-w-0 rounded-lg py-1.5" aria-label={`${name} home`}>
        <AppTitle name={name} accent={accent} icon={icon} />
      </NavLink>
      <nav aria-label={name} className="ml-auto flex items-center gap-1">
        <NavLink to={`${home}/help`} className={link}>
          <HelpIcon className="h-5 w-5" />
          Help
          {hasUnread && (
            <span className="absolute top-2 left-6 h-2.5 w-2.5 rounded-full bg-brand-600 ring-2 ring-white">
              <span className="sr-only">(unread support messages)</span>
            </span>
          )}
        </NavLink>
        <SignOutButton />
      </nav>
    </>
  );
}
