// The lead scanner's service worker (scope /exhibitor/leads/): the scan
// page opens with no network. The page is fetched from the network first
// and kept; its scripts and styles (versioned URLs) come from the cache,
// which the page itself fills (leads.js): Cache Storage is the origin's,
// shared by the page and this worker, so nothing depends on a message
// reaching a worker that is starting (CI saw such messages lost). The
// scans themselves wait in IndexedDB (static/scan.js), never here.
"use strict";
const CACHE = "lanyard-leads-1";
const PAGE = "/exhibitor/leads/scan";

self.addEventListener("install", (e) => { e.waitUntil(self.skipWaiting()); });
self.addEventListener("activate", (e) => { e.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) {
    e.respondWith(fetch(e.request).then((res) => {
      if (res.ok && !res.redirected) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(PAGE, copy));
      }
      return res;
    }).catch(() => caches.match(PAGE).then((hit) => hit || Response.error())));
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/leads/static/")) {
    e.respondWith(caches.match(e.request).then((hit) => hit || fetch(e.request)));
  }
});
