// Service worker of the user apps: shows a push notification of a support reply and opens the
// conversation when it is clicked. The payload is the server's PushPayload (channels.ts).
self.addEventListener('push', (event) => {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = {};
  }
  const title = payload.title || 'Support replied';
  event.waitUntil(
    (async () => {
      // Open pages of the app learn of it too (the browser tests use this to see the push arrive).
      const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const page of pages) page.postMessage({ type: 'support-push', notificationId: payload.notificationId });
      await self.registration.showNotification(title, {
        body: payload.body || '',
        tag: payload.tag,
        data: { url: payload.url },
      });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url;
  if (url && new URL(url).origin === self.location.origin) event.waitUntil(self.clients.openWindow(url));
});
