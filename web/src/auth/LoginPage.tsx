import { type FormEvent, useId, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../api/api-error';
import { Button } from '../ui/Button';
import { ChatIcon } from '../ui/icons';
import { useAuth } from './AuthProvider';
import { homePathFor } from './home-path';
import { sessionStore } from './session-store';

/** Only paths inside this app, never another site (an open redirect). */
function safeReturnPath(from: unknown): string | null {
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : null;
}

export function LoginPage() {
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const notice = sessionStore.endReason() === 'expired' ? 'Your session has ended. Please sign in again.' : null;
  const errorId = useId();

  if (me && !submitting) return <Navigate to={homePathFor(me)} replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSubmitting(true);
    try {
      const signedIn = await login(email.trim(), password);
      const from = safeReturnPath((location.state as { from?: unknown } | null)?.from);
      const home = homePathFor(signedIn);
      // Return to the page that asked for sign-in if it belongs to this person's app.
      const sameArea = from && from.split('/')[1] === home.split('/')[1];
      navigate(sameArea ? from : home, { replace: true });
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.code === 'VALIDATION_FAILED'
          ? 'Enter your e-mail address and password.'
          : errorMessage(caught, 'Signing in failed. Please try again.'),
      );
      setSubmitting(false);
    }
  };

  return (
    <main className="flex min-h-full items-center justify-center bg-gradient-to-b from-brand-50 to-gray-50 px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-2 text-center">
          <span className="flex h-12 w-12 items-center justify-center rounded-2xl bg-brand-600 text-white shadow-md">
            <ChatIcon className="h-6 w-6" />
          </span>
          <h1 className="text-2xl font-semibold tracking-tight text-gray-900">Support Chat</h1>
          <p className="text-sm text-gray-600">Sign in to continue</p>
        </div>
        <form
          onSubmit={onSubmit}
          noValidate
          aria-describedby={error ? errorId : undefined}
          className="space-y-4 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm"
        >
          {notice && !error && (
            <p role="status" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800">
              {notice}
            </p>
          )}
          {error && (
            <p id={errorId} role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
              {error}
            </p>
          )}
          <div>
            <label htmlFor="login-email" className="mb-1 block text-sm font-medium text-gray-700">
              E-mail
            </label>
            <input
              id="login-email"
              type="email"
              autoComplete="username"
              inputMode="email"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              className="block min-h-11 w-full rounded-lg border border-gray-300 px-3 text-base focus:border-brand-500 sm:text-sm"
            />
          </div>
          <div>
            <label htmlFor="login-password" className="mb-1 block text-sm font-medium text-gray-700">
              Password
            </label>
            <input
              id="login-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              className="block min-h-11 w-full rounded-lg border border-gray-300 px-3 text-base focus:border-brand-500 sm:text-sm"
            />
          </div>
          <Button type="submit" className="w-full" disabled={submitting || !email.trim() || !password}>
            {submitting ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
      </div>
    </main>
  );
}
