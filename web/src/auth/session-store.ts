// The signed-in session of this tab: the short access token, its expiry and who it belongs to.
// Kept in memory only: a script injected into the page finds no token in storage. What keeps a
// reload signed in is the refresh cookie (HttpOnly, so out of reach of scripts): on page load the
// app asks POST /api/auth/refresh for a fresh access token (see AuthProvider).
//
// The tabs of one browser share that cookie, so they share the sign-in: a tab that signs in or
// out tells the others over a BroadcastChannel.
import type { Me, TokenResponse } from '../../../common/auth';

export type Session = { token: string; expiresAt: string; me: Me };

/** Why the last session ended, so the login page can say so. */
export type EndReason = 'signed-out' | 'expired';

/** loading: the page just opened and the refresh cookie is being tried; ready: we know. */
export type SessionStatus = 'loading' | 'ready';

type Listener = (session: Session | null) => void;

/** What one tab tells the others. */
export type TabMessage = { type: 'signed-in' } | { type: 'signed-out' };

const CHANNEL_NAME = 'support-chat-auth';

// Earlier versions kept the session in localStorage; that copy is no longer used: remove it.
if (typeof localStorage !== 'undefined') localStorage.removeItem('supportChat.session');

function createSessionStore() {
  let current: Session | null = null;
  let status: SessionStatus = 'loading';
  let endReason: EndReason | null = null;
  const listeners = new Set<Listener>();
  const notify = () => {
    for (const listener of listeners) listener(current);
  };
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
  const tabListeners = new Set<(message: TabMessage) => void>();
  if (channel) {
    channel.onmessage = (event: MessageEvent<TabMessage>) => {
      for (const listener of tabListeners) listener(event.data);
    };
  }

  return {
    get: () => current,
    getToken: () => current?.token ?? null,
    status: () => status,
    /** Why the last session ended (for the login page); forgotten at the next sign-in. */
    endReason: () => endReason,
    set(response: TokenResponse) {
      current = { token: response.token, expiresAt: response.expiresAt, me: response.me };
      status = 'ready';
      endReason = null;
      notify();
    },
    /** The page-load refresh found no session: show the login page. */
    markReady() {
      if (status === 'ready') return;
      status = 'ready';
      notify();
    },
    clear(reason: EndReason) {
      status = 'ready';
      if (!current) {
        notify();
        return;
      }
      current = null;
      endReason = reason;
      notify();
    },
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    /** Tells the other tabs of this browser (not this one). */
    tellOtherTabs(message: TabMessage) {
      channel?.postMessage(message);
    },
    onOtherTab(listener: (message: TabMessage) => void) {
      tabListeners.add(listener);
      return () => {
        tabListeners.delete(listener);
      };
    },
  };
}

export const sessionStore = createSessionStore();
