// lanyard pocket: the attendee's day offline and "now and next" live.
// The service worker (/sw.js) keeps the attendee's own pages; this script
// registers it, says when the page is a kept copy, drops the copies on
// sign-out, and refreshes the "now and next" block every minute.
"use strict";
(() => {
  const showOffline = () => {
    const note = document.getElementById("offline-note");
    if (note) note.hidden = false;
    document.documentElement.classList.add("offline");
  };
  const ready = () => {
    if (document.body.dataset.offline) showOffline();
    const signedIn = !!document.getElementById("signout");
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js").then(() => navigator.serviceWorker.ready).then(reg => {
        if (signedIn && reg.active && navigator.onLine !== false) reg.active.postMessage({type: "warm"});
      }).catch(() => {});
    }
    // Sign-out drops the kept copies here too, in case no worker runs yet.
    const out = document.getElementById("signout");
    if (out && out.form && window.caches) {
      out.form.addEventListener("submit", () => {
        caches.keys().then(keys => keys.filter(k => k.startsWith("lanyard-pocket-")).forEach(k => caches.delete(k)));
      });
    }
    const block = document.getElementById("now");
    const every = block ? Number(block.dataset.refresh) : 0;
    if (block && every > 0 && window.fetch) {
      setInterval(() => {
        const cur = document.getElementById("now");
        if (!cur || cur.contains(document.activeElement) && document.activeElement.tagName === "TEXTAREA") return;
        fetch(cur.dataset.src, {credentials: "same-origin", headers: {"Accept": "text/html"}})
          .then(r => { if (!r.ok) throw new Error(r.status); return r.text(); })
          .then(html => {
            const t = document.createElement("template");
            t.innerHTML = html.trim();
            const fresh = t.content.querySelector("#now");
            if (fresh) cur.replaceWith(fresh);
          })
          .catch(showOffline);
      }, every * 1000);
    }
    window.addEventListener("offline", showOffline);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
