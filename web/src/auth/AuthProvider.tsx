// React side of the session: useAuth() gives who is signed in, login, logout and "sign out
// everywhere". The access token lives in memory (session-store.ts); on page load it is fetched
// with the refresh cookie, and it is refreshed about a minute before it expires. A 401 that ends
// the session, a `session:ended` socket event, or a sign-out in another tab signs the person out.
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useSyncExternalStore,
} from 'react';
import type { Me, TokenResponse } from '../../../common/auth';
import { ApiError } from '../api/api-error';
import { apiFetch, configureApiAuth } from '../api/api-fetch';
import { type Session, type SessionStatus, sessionStore } from './session-store';

/** Refresh this long before the token expires. */
const REFRESH_LEAD_MS = 60_000;

type AuthContextValue = {
  session: Session | null;
  me: Me | null;
  /** 'loading' while the page-load refresh runs (show a short loading state, not the login page). */
  status: SessionStatus;
  login: (email: string, password: string) => Promise<Me>;
  /** Ends this session on the server (its tokens and sockets), here and in the other tabs. */
  logout: () => Promise<void>;
  /** Ends every session of the account, on every device. */
  logoutEverywhere: () => Promise<void>;
};

const AuthContext = createContext<AuthContextValue | null>(null);

/** One refresh at a time per tab: the cookie is single-use, so parallel calls would race. */
let refreshing: Promise<void> | null = null;

/** A new access token for the refresh cookie. Rejects with the ApiError when there is no session. */
export function refreshSession(): Promise<void> {
  refreshing ??= apiFetch<TokenResponse>('/api/auth/refresh', { body: {} })
    .then((response) => sessionStore.set(response))
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

configureApiAuth({
  getToken: sessionStore.getToken,
  onUnauthorized: (error) => {
    // An access token that merely expired (a laptop that slept): the cookie may still get a new one.
    if (error.code === 'TOKEN_EXPIRED') {
      refreshSession().catch(() => sessionStore.clear('expired'));
      return;
    }
    sessionStore.clear('expired');
  },
});

/** The page-load refresh: signed in again from the cookie, or ready for the login page. */
function restoreSession() {
  refreshSession().catch((error: unknown) => {
    // Offline or the server is down: not a verdict on the session, but nothing to show either.
    if (!(error instanceof ApiError) || error.status !== 401) sessionStore.markReady();
    else sessionStore.clear('signed-out');
  });
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get, sessionStore.get);
  const status = useSyncExternalStore(sessionStore.subscribe, sessionStore.status, sessionStore.status);
  const token = session?.token ?? null;
  const expiresAt = session?.expiresAt ?? null;

  useEffect(() => {
    if (sessionStore.status() === 'loading') restoreSession();
    // Another tab signed out (this session is over too) or in (the cookie now holds a session).
    return sessionStore.onOtherTab((message) => {
      if (message.type === 'signed-out') sessionStore.clear('signed-out');
      else refreshSession().catch(() => {});
    });
  }, []);

  // Keep the token fresh. A failed refresh that is not a 401 (e.g. offline) is retried shortly.
  useEffect(() => {
    if (!token || !expiresAt) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = (delay: number) => {
      timer = setTimeout(async () => {
        try {
          await refreshSession();
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) sessionStore.clear('expired');
          else if (sessionStore.getToken() === token) schedule(10_000);
        }
      }, delay);
    };
    schedule(Math.max(0, Date.parse(expiresAt) - Date.now() - REFRESH_LEAD_MS));
    // A laptop waking from sleep: timers ran late, so refresh at once if the token has run out.
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      if (Date.parse(expiresAt) <= Date.now()) schedule(0);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [token, expiresAt]);

  const login = useCallback(async (email: string, password: string) => {
    const response = await apiFetch<TokenResponse>('/api/auth/login', { body: { email, password } });
    sessionStore.set(response);
    sessionStore.tellOtherTabs({ type: 'signed-in' });
    return response.me;
  }, []);

  const endSession = useCallback(async (path: '/api/auth/logout' | '/api/auth/logout-all') => {
    try {
      await apiFetch<null>(path, { body: {} });
    } catch {
      // Unreachable server or a session that already ended: signed out here all the same.
    } finally {
      sessionStore.clear('signed-out');
      sessionStore.tellOtherTabs({ type: 'signed-out' });
    }
  }, []);
  const logout = useCallback(() => endSession('/api/auth/logout'), [endSession]);
  const logoutEverywhere = useCallback(() => endSession('/api/auth/logout-all'), [endSession]);

  const value = useMemo<AuthContextValue>(
    () => ({ session, me: session?.me ?? null, status, login, logout, logoutEverywhere }),
    [session, status, login, logout, logoutEverywhere],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() needs <AuthProvider> above it.');
  return value;
}

/** For tests and stories: a fixed auth value without cookies or timers (status 'ready' unless given). */
export function AuthTestProvider({
  value,
  children,
}: {
  value: Pick<AuthContextValue, 'session' | 'me'> & Partial<AuthContextValue>;
  children: ReactNode;
}) {
  const signedOut = async () => {};
  const full: AuthContextValue = {
    status: 'ready',
    login: async () => {
      throw new Error('AuthTestProvider: login is not set');
    },
    logout: signedOut,
    logoutEverywhere: signedOut,
    ...value,
  };
  return <AuthContext.Provider value={full}>{children}</AuthContext.Provider>;
}
export type { AuthContextValue };
