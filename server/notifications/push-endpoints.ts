// Which push endpoints the server will POST to. A subscription's endpoint comes from the browser,
// so a user could name any URL (an internal address, a metadata service); the server only talks to
// the browser push services (or the hosts PUSH_ENDPOINT_HOSTS names instead), and only over https
// (in every environment: the web-push library speaks nothing else, and every push service is
// https). Checked when a device subscribes and again before every delivery.

/** The push services of Chrome/Edge/Opera (FCM), Firefox, Windows and Safari. */
export const DEFAULT_PUSH_ENDPOINT_HOSTS = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  '*.notify.windows.com',
  'web.push.apple.com',
  '*.push.apple.com',
];

export type PushEndpointPolicy = {
  /** Exact host names, or "*.example.com" for any host under example.com. */
  hosts: string[];
};

export function parsePushEndpointHosts(value: string | undefined): string[] {
  if (value === undefined) return DEFAULT_PUSH_ENDPOINT_HOSTS;
  return value
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
}

function hostAllowed(hostname: string, hosts: string[]): boolean {
  return hosts.some((entry) => (entry.startsWith('*.') ? hostname.endsWith(entry.slice(1)) : hostname === entry));
}

export function isAllowedPushEndpoint(endpoint: string, policy: PushEndpointPolicy): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  // Credentials in the URL would be sent along; no push service uses them.
  if (url.username || url.password) return false;
  // IPv6 literals come bracketed ("[::1]"); the list names them the same way.
  return hostAllowed(url.hostname.toLowerCase(), policy.hosts);
}
