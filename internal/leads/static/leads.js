// Lead capture at a booth: the shared scanner (/static/scan.js) reads a
// badge from the camera or a handheld scanner; each scan is queued on the
// device (IndexedDB, with a nonce) and uploaded at once when online, later
// when the network returns. The server is idempotent by nonce: an upload
// repeated after a lost answer changes nothing. Plain JS, no build step.
(function () {
  "use strict";
  var root = document.getElementById("leads-scan");
  if (!root || !window.lanyardScan) return;
  var S = window.lanyardScan;
  var words = JSON.parse(document.getElementById("leads-words").textContent || "{}");
  var queue = S.queue(root.dataset.queue);
  var url = root.dataset.sync;
  var recent = document.getElementById("leads-recent");
  var qel = document.getElementById("leads-queue");
  var net = document.getElementById("net");
  var offline = !navigator.onLine;

  function $(id) { return document.getElementById(id); }
  function fill(s, v) { return String(s || "").replace(/\{(\w+)\}/g, function (m, k) { return v[k] !== undefined ? v[k] : m; }); }

  function setOffline(off) {
    offline = off;
    net.dataset.state = off ? "offline" : "online";
    net.textContent = off ? words.offline : words.online;
    if (!off) sync();
  }
  window.addEventListener("online", function () { setOffline(false); });
  window.addEventListener("offline", function () { setOffline(true); });

  function showQueue() {
    return queue.size().then(function (n) {
      qel.dataset.n = String(n);
      qel.textContent = n ? fill(words.queued, { n: n }) : (Number(qel.dataset.synced) ? fill(words.synced, { n: qel.dataset.synced }) : "");
      return n;
    });
  }

  // The list of this session's scans: one line per scan, updated with
  // the server's answer.
  function line(item) {
    var li = document.createElement("li");
    li.dataset.nonce = item.nonce;
    li.dataset.state = "queued";
    li.textContent = item.token.slice(0, 10) + "… · " + fill(words.queued, { n: 1 });
    recent.insertBefore(li, recent.firstChild);
    return li;
  }
  function answer(res) {
    var li = recent.querySelector('li[data-nonce="' + res.nonce + '"]');
    if (!li) { li = document.createElement("li"); li.dataset.nonce = res.nonce; recent.insertBefore(li, recent.firstChild); }
    li.textContent = "";
    li.dataset.state = res.error ? "error" : res.outcome;
    var b = document.createElement("b");
    b.textContent = res.error ? words.error : (words[res.outcome] || res.outcome);
    li.appendChild(b);
    li.appendChild(document.createTextNode(" · " + (res.error ? res.error.message : (res.name || ""))));
    if (res.lead_id) {
      li.dataset.lead = String(res.lead_id);
      var a = document.createElement("a");
      a.href = "/exhibitor/leads/" + res.lead_id;
      a.textContent = words.open;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
    }
  }

  var busy = null;
  function sync() {
    if (offline) return Promise.resolve();
    if (busy) return busy;
    busy = S.sync(queue, url).then(function (results) {
      results.forEach(answer);
      qel.dataset.synced = String((Number(qel.dataset.synced) || 0) + results.length);
    }).catch(function (err) {
      if (err && err.status === 401) { location.href = "/signin?next=" + encodeURIComponent(location.pathname); return; }
      if (!err || !err.status) setOffline(true); // the network, not the server
    }).then(function () { busy = null; return showQueue(); });
    return busy;
  }

  function scanned(text) {
    var token = String(text || "").trim().toUpperCase();
    if (!token) return Promise.resolve();
    var item = { nonce: S.nonce(), token: token, scanned_at: new Date().toISOString() };
    line(item);
    return queue.add(item).then(showQueue).then(function () { return offline ? null : sync(); });
  }
  window.leadsScan = scanned; // for tests and a pasted code

  S.wedge($("leads-wedge"), scanned);
  var button = $("leads-camera"), state = $("leads-camera-state");
  S.camera({
    video: $("leads-video"),
    button: button,
    autostart: localStorage.getItem("leads-camera") !== "off",
    onCode: scanned,
    onState: function (st, detail) {
      root.dataset.camera = st;
      if (st === "on") { root.dataset.decoder = detail; button.textContent = words.camera_stop; state.textContent = ""; localStorage.removeItem("leads-camera"); }
      else if (st === "starting") { button.textContent = words.camera_stop; }
      else if (st === "off") { button.textContent = words.camera_start; }
      else { button.textContent = words.camera_start; state.textContent = st === "denied" ? words.camera_denied : words.camera_none; }
    },
  });
  button.addEventListener("click", function () {
    if (root.dataset.camera === "starting" || root.dataset.camera === "on") localStorage.setItem("leads-camera", "off");
  });

  // The page opens offline from the service worker's cache. The page
  // fills that cache itself with what it loaded (the jsQR decoder too),
  // once the worker is active, and only then shows it is kept offline.
  // A page opened on a failing network tries again when it returns.
  var CACHE = "lanyard-leads-1";
  var asking = false;
  function keepOffline() {
    if (!("serviceWorker" in navigator) || !window.caches || root.dataset.worker === "1" || asking) return;
    asking = true;
    navigator.serviceWorker.register("/exhibitor/leads/sw.js", { scope: "/exhibitor/leads/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      var keep = [location.pathname];
      document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (el) { keep.push(el.getAttribute("src") || el.getAttribute("href")); });
      var jsqr = document.querySelector("script[data-jsqr]");
      if (jsqr) keep.push(jsqr.dataset.jsqr);
      // Same origin only, each as path and query (the cache's keys).
      keep = keep.map(function (u) { try { return new URL(u, location.href); } catch (e) { return null; } })
        .filter(function (u) { return u && u.origin === location.origin; })
        .map(function (u) { return u.pathname + u.search; });
      return caches.open(CACHE).then(function (c) {
        return Promise.all(keep.map(function (u) {
          return fetch(u, { credentials: "same-origin" }).then(function (res) {
            if (!res.ok || res.redirected) throw new Error(u + ": " + res.status);
            return c.put(u, res);
          });
        })).then(function () {
          // Files of an older release (other versioned URLs) go.
          return c.keys().then(function (reqs) {
            return Promise.all(reqs.filter(function (r) {
              var u = new URL(r.url);
              return keep.indexOf(u.pathname + u.search) < 0;
            }).map(function (r) { return c.delete(r); }));
          });
        });
      });
    }).then(function () {
      root.dataset.worker = "1";
    }).catch(function (e) { root.dataset.workerError = String(e); }).then(function () {
      asking = false;
      if (root.dataset.worker !== "1" && !offline) setTimeout(keepOffline, 5000);
    });
  }
  keepOffline();
  window.addEventListener("online", keepOffline);
  setOffline(offline);
  showQueue().then(function (n) { root.dataset.ready = "1"; if (n && !offline) sync(); });
  // A queue left from before (a reload offline): try now and then.
  setInterval(function () { if (!document.hidden && !offline) queue.size().then(function (n) { if (n) sync(); }); }, 10000);
  $("leads-wedge").focus();
})();
