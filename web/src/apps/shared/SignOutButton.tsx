import { useAuth } from '../../auth/AuthProvider';
import { LogoutIcon } from '../../ui/icons';

const buttonClass =
  'inline-flex min-h-11 items-center gap-2 rounded-lg px-3 text-sm font-medium text-gray-600 hover:bg-gray-100 hover:text-gray-900';

/** "Sign out" (this session) and "Sign out everywhere" (every session of the account). */
export function SignOutButton({ className = '' }: { className?: string }) {
  const { logout } = useAuth();
  return (
    <button type="button" onClick={() => void logout()} className={`${buttonClass} ${className}`}>
      <LogoutIcon className="h-4 w-4" />
      Sign out
    </button>
  );
}

export function SignOutEverywhereButton({ className = '' }: { className?: string }) {
  const { logoutEverywhere } = useAuth();
  return (
    <button
      type="button"
      onClick={() => void logoutEverywhere()}
      title="Signs this account out on every device and browser"
      className={`${buttonClass} ${className}`}
    >
      Sign out everywhere
    </button>
  );
}
