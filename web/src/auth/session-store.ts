// The signed-in session: token, its expiry and who it belongs to, kept in localStorage so that a
// reload stays signed in (and shared by the tabs of one browser).
import { Me, type TokenResponse } from '../../../common/auth';

export type Session = { token: string; expiresAt: string; me: Me };

/** Why the last session ended, so the login page can say so. */
export type EndReason = 'signed-out' | 'expired';

const STORAGE_KEY = 'supportChat.session';

type Listener = (session: Session | null) => void;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    const me = Me.safeParse(parsed.me);
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'string' || !me.success) return null;
    if (Date.parse(parsed.expiresAt) <= Date.now()) return null;
    return { token: parsed.token, expiresAt: parsed.expiresAt, me: me.data };
  } catch {
    return null;
  }
}

function createSessionStore() {
  let current: Session | null = read();
  let endReason: EndReason | null = null;
  const listeners = new Set<Listener>();
  const notify = () => {
    for (const listener of listeners) listener(current);
  };

  // Another tab signed in, refreshed or signed out.
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY) return;
      current = read();
      notify();
    });
  }

  return {
    get: () => current,
    getToken: () => current?.token ?? null,
    /** Why the last session ended (for the login page); forgotten at the next sign-in. */
    endReason: () => endReason,
    set(response: TokenResponse) {
      current = { token: response.token, expiresAt: response.expiresAt, me: response.me };
      endReason = null;
      localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
      notify();
    },
    updateMe(me: Me) {
      if (!current) return;
      current = { ...current, me };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
      notify();
    },
    clear(reason: EndReason) {
      if (!current) return;
      current = null;
      endReason = reason;
      localStorage.removeItem(STORAGE_KEY);
      notify();
    },
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export const sessionStore = createSessionStore();
