// React side of the session: useAuth() gives who is signed in, login and logout. The token is
// refreshed about a minute before it expires; a 401 that ends the session signs the person out.
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useSyncExternalStore,
} from 'react';
import { Me, type TokenResponse } from '../../../common/auth';
import { apiFetch, configureApiAuth } from '../api/api-fetch';
import { type Session, sessionStore } from './session-store';

/** Refresh this long before the token expires. */
const REFRESH_LEAD_MS = 60_000;

type AuthContextValue = {
  session: Session | null;
  me: Me | null;
  login: (email: string, password: string) => Promise<Me>;
  logout: () => void;
};

const AuthContext = createContext<AuthContextValue | null>(null);

configureApiAuth({
  getToken: sessionStore.getToken,
  onUnauthorized: () => sessionStore.clear('expired'),
});

export async function refreshSession(): Promise<void> {
  const response = await apiFetch<TokenResponse>('/api/auth/refresh', { method: 'POST' });
  sessionStore.set(response);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get, sessionStore.get);
  const token = session?.token ?? null;
  const expiresAt = session?.expiresAt ?? null;

  // Keep the token fresh. A failed refresh that is not a 401 (e.g. offline) is retried shortly.
  useEffect(() => {
    if (!token || !expiresAt) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = (delay: number) => {
      timer = setTimeout(async () => {
        try {
          await refreshSession();
        } catch {
          if (sessionStore.getToken() === token) schedule(10_000);
        }
      }, delay);
    };
    schedule(Math.max(0, Date.parse(expiresAt) - Date.now() - REFRESH_LEAD_MS));
    // A laptop waking from sleep: timers ran late, so check at once.
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      if (Date.parse(expiresAt) <= Date.now()) sessionStore.clear('expired');
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [token, expiresAt]);

  // A `me` restored from storage may be stale (permissions change): confirm it once per page load.
  useEffect(() => {
    if (!sessionStore.get()) return;
    apiFetch<unknown>('/api/auth/me')
      .then((body) => {
        const me = Me.safeParse(body);
        if (me.success) sessionStore.updateMe(me.data);
      })
      .catch(() => {
        // A 401 already ended the session through apiFetch; anything else keeps the stored view.
      });
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const response = await apiFetch<TokenResponse>('/api/auth/login', { body: { email, password } });
    sessionStore.set(response);
    return response.me;
  }, []);

  const logout = useCallback(() => sessionStore.clear('signed-out'), []);

  const value = useMemo<AuthContextValue>(
    () => ({ session, me: session?.me ?? null, login, logout }),
    [session, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() needs <AuthProvider> above it.');
  return value;
}

/** For tests and stories: a fixed auth value without storage or timers. */
export function AuthTestProvider({ value, children }: { value: AuthContextValue; children: ReactNode }) {
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
export type { AuthContextValue };
