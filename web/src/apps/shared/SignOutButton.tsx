import { useAuth } from '../../auth/AuthProvider';
import { LogoutIcon } from '../../ui/icons';

export function SignOutButton({ className = '' }: { className?: string }) {
  const { logout } = useAuth();
  return (
    <button
      type="button"
      onClick={logout}
      className={`inline-flex min-h-11 items-center gap-2 rounded-lg px-3 text-sm font-medium text-gray-600 hover:bg-gray-100 hover:text-gray-900 ${className}`}
    >
      <LogoutIcon className="h-4 w-4" />
      Sign out
    </button>
  );
}
