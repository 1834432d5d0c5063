// The door app's service worker: it caches the app shell (the scanner
// page and its files) so the app opens and scans with no network. The
// door's data and the scan queue live in IndexedDB (door.js), not here.
// The server writes the file list and version in (/door/sw.js).
const VERSION = "/*VERSION*/";
const CACHE = "lanyard-door-" + VERSION;
const FILES = [/*FILES*/];
const SHELL = "/door/app";

self.addEventListener("install", (e) => {
  e.waitUntil((async () => {
    const c = await caches.open(CACHE);
    await c.addAll(FILES);
    // The page needs the sign-in cookie; signed out, it redirects to the
    // sign-in page, which must not become the cached app.
    const page = await fetch(SHELL, { credentials: "same-origin" });
    if (page.ok && !page.redirected) await c.put(SHELL, page);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (e) => {
  e.waitUntil((async () => {
    for (const k of await caches.keys()) {
      if (k.startsWith("lanyard-door-") && k !== CACHE) await caches.delete(k);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname === SHELL) {
    // Network first (fresh words, fresh sign-in), the cached shell offline.
    e.respondWith((async () => {
      try {
        const res = await fetch(e.request);
        if (res.ok && !res.redirected) {
          const c = await caches.open(CACHE);
          await c.put(SHELL, res.clone());
        }
        return res;
      } catch (err) {
        const hit = await caches.match(SHELL);
        if (hit) return hit;
        throw err;
      }
    })());
    return;
  }
  // The app's files, and the shared scanner's (/static/scan.js, jsQR).
  if (url.pathname.startsWith("/door/static/") || FILES.includes(url.pathname + url.search)) {
    e.respondWith((async () => (await caches.match(e.request)) || fetch(e.request))());
  }
});
