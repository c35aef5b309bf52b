// The service worker: shows "getting close" and "your turn" pushed by the tent when the page is closed or the
// screen is off, and opens the ticket when the runner taps the notification.
self.addEventListener("push", (event) => {
  let message = { title: "Massage tent", tag: "queue", url: "/" };
  try { message = { ...message, ...event.data.json() }; } catch { /* a push without a body still says something */ }
  event.waitUntil(self.registration.showNotification(message.title, {
    tag: message.tag, renotify: true, requireInteraction: message.tag === "turn",
    vibrate: [500, 200, 500, 200, 900], data: { url: message.url },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const open = windows.find((client) => client.url === url);
    return open ? open.focus() : self.clients.openWindow(url);
  }));
});
