import { Link } from 'react-router';
import { buttonClass } from '../ui/Button';

export function NotFoundPage({ homePath = '/' }: { homePath?: string }) {
  return (
    <div className="flex flex-1 items-center justify-center p-6 text-center">
      <div>
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-1 text-lg font-semibold text-gray-900">This page does not exist</h1>
        <p className="mt-2 text-sm text-gray-600">The link may be old, or the address mistyped.</p>
        <Link to={homePath} className={buttonClass('secondary', 'mt-5')}>
          Go to the start page
        </Link>
      </div>
    </div>
  );
}
