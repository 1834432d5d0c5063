// lanyard's service worker: the attendee's day offline (internal/web/offline.go).
// The server fills in the version and the lists below.
//
// - The app's static files (versioned URLs): cache first, kept at install.
// - The signed-in attendee's own pages (PAGES): network first; a good answer
//   is kept, and when the network fails the kept copy is served, marked
//   data-offline on its <body> so the page says how old it is.
// - Anything else goes to the network untouched, and is never kept.
// - Signing in or out drops every kept copy: a shared phone never shows one
//   attendee's agenda or badge to the next.
"use strict";
const VERSION = "__VERSION__";
const SHELL = ["__SHELL__"];
const PAGES = ["__PAGES__"];
const PREFIX = "lanyard-pocket-";
const CACHE = PREFIX + VERSION;
// How long a page may take before the kept copy is served instead: the
// Wi-Fi between hotels answers slowly more often than not at all.
const PATIENCE = 6000;
// A kept page younger than this is not fetched again to warm the cache.
const FRESH = 5 * 60 * 1000;

self.addEventListener("install", ev => {
  ev.waitUntil(caches.open(CACHE).then(c => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", ev => {
  ev.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k.startsWith(PREFIX) && k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function forget() {
  return caches.keys().then(keys => Promise.all(keys.filter(k => k.startsWith(PREFIX)).map(k => caches.delete(k))))
    .then(() => caches.open(CACHE)).then(c => c.addAll(SHELL)).catch(() => {});
}

self.addEventListener("fetch", ev => {
  const req = ev.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST" && (url.pathname === "/signout" || url.pathname === "/signin")) {
    ev.respondWith(forget().then(() => fetch(req)));
    return;
  }
  if (req.method !== "GET") return;
  if (SHELL.includes(url.pathname + url.search)) {
    ev.respondWith(caches.match(req).then(hit => hit || fetch(req)));
    return;
  }
  if (PAGES.includes(url.pathname) && url.search === "") {
    const answer = networkFirst(req, url.pathname);
    ev.respondWith(answer);
    // One of the attendee's pages came from the network: keep the others
    // too. pocket.js asks the same by a message, but a message to a worker
    // that is starting can be lost (the lead scanner saw it); this cannot.
    if (req.mode === "navigate") {
      ev.waitUntil(answer.then(res => (res.ok && !res.redirected && !res.headers.has("X-Lanyard-Kept") ? warm() : null), () => null));
    }
  }
});

// keep stores a good answer under its path, with the time it was kept.
async function keep(path, res) {
  if (!res.ok || res.type !== "basic" || res.redirected) return;
  const body = await res.clone().arrayBuffer();
  const headers = new Headers(res.headers);
  headers.set("X-Lanyard-Kept", String(Date.now()));
  // The body is decoded already: a kept copy is plain.
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  const cache = await caches.open(CACHE);
  await cache.put(path, new Response(body, {status: res.status, statusText: res.statusText, headers}));
}

async function networkFirst(req, path) {
  try {
    const res = await Promise.race([
      fetch(req),
      new Promise((_, fail) => setTimeout(() => fail(new Error("slow")), PATIENCE)),
    ]);
    await keep(path, res);
    return res;
  } catch (err) {
    const hit = await caches.match(path, {cacheName: CACHE});
    if (!hit) throw err;
    return offlineCopy(hit);
  }
}

// offlineCopy marks a kept page as one: pocket.js then shows its note.
async function offlineCopy(res) {
  if (!(res.headers.get("Content-Type") || "").startsWith("text/html")) return res;
  const html = (await res.text()).replace("<body ", '<body data-offline="1" ');
  const headers = new Headers(res.headers);
  headers.delete("Content-Length");
  return new Response(html, {status: 200, headers});
}

// warm keeps the attendee's pages that are missing or old, so that a page
// never opened on this phone still opens offline. Asked by pocket.js on a
// signed-in page, and done after each of those pages is opened.
async function warm() {
  const cache = await caches.open(CACHE);
  for (const path of PAGES) {
    const hit = await cache.match(path);
    if (hit && Date.now() - Number(hit.headers.get("X-Lanyard-Kept")) < FRESH) continue;
    try {
      // Marked, so the server leaves the flash for the page opened next.
      const res = await fetch(path, {credentials: "same-origin", redirect: "manual", headers: {"X-Lanyard-Warm": "1"}});
      await keep(path, res);
    } catch (e) { /* offline: keep what there is */ }
  }
}

self.addEventListener("message", ev => {
  if (ev.data && ev.data.type === "warm") ev.waitUntil(warm());
});
