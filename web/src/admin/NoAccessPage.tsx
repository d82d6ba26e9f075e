import { Link } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { hasPermission } from '../auth/guards';
import { ADMIN_PATHS } from '../auth/home-path';
import { buttonClass } from '../ui/Button';
import { LockIcon } from '../ui/icons';

/** Shown to an admin who opens a page their role does not allow. */
export function NoAccessPage({ what, permission }: { what?: string; permission?: string }) {
  const { me } = useAuth();
  const elsewhere = hasPermission(me, 'SUPPORT_CHAT')
    ? { to: ADMIN_PATHS.supportChat, label: 'Go to Support chat' }
    : hasPermission(me, 'SETTINGS_MANAGE')
      ? { to: ADMIN_PATHS.settings, label: 'Go to Settings' }
      : null;
  return (
    <div className="flex flex-1 items-center justify-center p-6">
      <div className="max-w-md text-center">
        <span className="mx-auto mb-4 flex h-12 w-12 items-center justify-center rounded-full bg-gray-100 text-gray-500">
          <LockIcon className="h-6 w-6" />
        </span>
        <h1 className="text-lg font-semibold text-gray-900">
          {what ? `You don't have access to ${what}` : "You don't have access to any admin pages"}
        </h1>
        <p className="mt-2 text-sm text-gray-600">
          {permission
            ? `This page needs the ${permission} permission. Ask an administrator to add it to your role.`
            : 'Your role has no support permissions yet. Ask an administrator to add SUPPORT_CHAT or SETTINGS_MANAGE to your role.'}
        </p>
        {elsewhere && (
          <Link to={elsewhere.to} className={buttonClass('secondary', 'mt-5')}>
            {elsewhere.label}
          </Link>
        )}
      </div>
    </div>
  );
}
