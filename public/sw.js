/*
 * Kindred's service worker: one job, an offline page.
 *
 * It precaches /offline.html (self-contained: inline styles, icon and retry script) and,
 * when a page navigation fails because the network is down, answers with it. Nothing else is
 * ever put in a cache: not pages, not API responses, not assets. Signed-in pages hold private
 * journal answers, and a phone or a library computer is often shared; a cached copy would
 * outlive the sign-out. Successful navigations go straight from the network to the page.
 */
const CACHE = "kindred-offline-v1";
const OFFLINE_URL = "/offline.html";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: straight from the server, never an HTTP-cached copy.
      await cache.add(new Request(OFFLINE_URL, { cache: "reload" }));
      // Where the browser supports it, only navigations wake this worker: every other request
      // goes to the network as if there were no worker at all.
      if (event.addRoutes) {
        await event
          .addRoutes([
            { condition: { requestMode: "navigate" }, source: "fetch-event" },
            { condition: { urlPattern: { pathname: "/*" } }, source: "network" },
          ])
          .catch(() => undefined);
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      // The browser starts the navigation request while the worker boots, so being online
      // costs no extra wait.
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.mode !== "navigate") return;
  event.respondWith(
    (async () => {
      try {
        const preloaded = await event.preloadResponse;
        if (preloaded) return preloaded;
        return await fetch(request);
      } catch {
        const offline = await caches.match(OFFLINE_URL);
        return offline ?? Response.error();
      }
    })(),
  );
});
