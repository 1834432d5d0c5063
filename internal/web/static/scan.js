// lanyardScan: the scanner every scanning page shares (the door app, the
// badge desk, lead capture, contact exchange, swag claims). Plain JS, no
// build step. Load it with
//
//   <script src="/static/scan.js?v=…" data-jsqr="/static/jsQR.js?v=…" defer></script>
//
// QR codes are read with the browser's BarcodeDetector where it reads QR
// codes, else with jsQR 1.4.0 (npm "jsqr", Apache-2.0: static/jsQR.js and
// static/jsQR.LICENSE.txt), loaded only when needed unless the page loaded
// it already.
//
//   lanyardScan.camera({video, button, onCode(text), onState(state, detail)})
//       starts the camera (on a click of button, if one is given) and calls
//       onCode once per code in sight; returns {start(), stop(), running()}.
//   lanyardScan.wedge(input, onCode(text))
//       a handheld scanner typing into input and pressing Enter; with
//       document instead of a field, fast keys typed outside any field.
//   lanyardScan.queue(dbName) → {add(item), all(), remove(nonce), size()}
//       scans kept in IndexedDB until they are uploaded; add gives an item
//       without a nonce a new one.
//   lanyardScan.sync(queue, url, csrfToken)
//       POSTs {"scans": […]} in batches of at most 500 and removes every
//       item the server answered for (by its nonce: the server is
//       idempotent, so a batch sent twice changes nothing); resolves to the
//       server's results.
//   lanyardScan.nonce() → 22 characters of base64url (128 random bits).
(function () {
  "use strict";
  var script = document.currentScript;
  var jsqrURL = script && script.dataset.jsqr;

  function nonce() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    return btoa(String.fromCharCode.apply(null, b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // --- decoding ---------------------------------------------------------
  var jsqrLoad = null;
  function loadJSQR(url) {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    if (!jsqrLoad) {
      jsqrLoad = new Promise(function (ok, fail) {
        var s = document.createElement("script");
        s.src = url || jsqrURL || "/static/jsQR.js";
        s.onload = function () { if (window.jsQR) ok(window.jsQR); else fail(new Error("jsQR did not load")); };
        s.onerror = function () { jsqrLoad = null; fail(new Error("jsQR did not load")); };
        document.head.appendChild(s);
      });
    }
    return jsqrLoad;
  }

  // decoder resolves to {name, read(video) → Promise of text or ""}.
  function decoder(opts) {
    var viaJSQR = function () {
      return loadJSQR(opts.jsqr).then(function (jsQR) {
        var canvas = document.createElement("canvas");
        var ctx = canvas.getContext("2d", { willReadFrequently: true });
        return {
          name: "jsQR",
          read: function (video) {
            var w = video.videoWidth, h = video.videoHeight;
            if (!w || !h) return Promise.resolve("");
            var max = opts.maxDecodeWidth === undefined ? 960 : opts.maxDecodeWidth;
            var scale = max > 0 ? Math.min(1, max / w) : 1;
            canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
            ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
            var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
            var code = jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
            return Promise.resolve(code ? code.data : "");
          },
        };
      });
    };
    if (!("BarcodeDetector" in window)) return viaJSQR();
    return window.BarcodeDetector.getSupportedFormats().then(function (f) {
      if (f.indexOf("qr_code") < 0) return viaJSQR();
      var d = new window.BarcodeDetector({ formats: ["qr_code"] });
      return {
        name: "BarcodeDetector",
        read: function (video) {
          return d.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
        },
      };
    }, viaJSQR);
  }

  // --- camera -----------------------------------------------------------
  // camera options: video (required), button (toggles the camera; without
  // one the camera starts at once unless autostart is false), onCode(text),
  // onState(state, detail) with state "starting", "on" (detail: the
  // decoder's name), "off", "denied" or "none" (no camera, or it failed),
  // paused() (true while the page shows a result: no decoding), repeatMs
  // (a code seen again is reported only after it was out of sight this
  // long; 5000), facingMode ("environment"), width (the ideal capture
  // width), maxDecodeWidth (jsQR looks at frames scaled down to this; 960,
  // 0 for full size), intervalMs (between looks; 150), jsqr (its URL).
  function camera(opts) {
    var video = opts.video, button = opts.button;
    var stream = null, on = false, dec = null, last = "", lastAt = 0, timer = 0;
    var state = function (s, d) { if (opts.onState) try { opts.onState(s, d); } catch (e) { /* the page's */ } };
    var repeat = opts.repeatMs === undefined ? 5000 : opts.repeatMs;

    function stop() {
      on = false;
      clearTimeout(timer);
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      if (video) { video.srcObject = null; }
      state("off");
    }
    function tick() {
      if (!on) return;
      if (video.readyState < 2) { timer = setTimeout(tick, 200); return; }
      if (opts.paused && opts.paused()) { lastAt = Date.now(); timer = setTimeout(tick, 200); return; }
      dec.read(video).then(function (text) {
        if (!text || !on) return;
        var now = Date.now(), seen = text === last && now - lastAt < repeat;
        last = text; lastAt = now;
        if (!seen && opts.onCode) opts.onCode(text);
      }).catch(function () {}).then(function () { if (on) timer = setTimeout(tick, opts.intervalMs || 150); });
    }
    function start() {
      if (on) return;
      on = true;
      state("starting");
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { on = false; state("none"); return; }
      var c = { facingMode: opts.facingMode || "environment" };
      if (opts.width) c.width = { ideal: opts.width };
      navigator.mediaDevices.getUserMedia({ video: c, audio: false }).then(function (s) {
        if (!on) { s.getTracks().forEach(function (t) { t.stop(); }); throw new Error("stopped"); }
        stream = s;
        video.srcObject = s;
        return video.play();
      }).then(function () { return dec || decoder(opts); }).then(function (d) {
        if (!on) return;
        dec = d;
        state("on", d.name);
        tick();
      }).catch(function (err) {
        if (!on) return;
        var denied = err && (err.name === "NotAllowedError" || err.name === "SecurityError");
        if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
        stream = null;
        on = false;
        state(denied ? "denied" : "none", err);
      });
    }
    if (button) {
      button.addEventListener("click", function () { if (on) stop(); else start(); });
      if (opts.autostart) start();
    } else if (opts.autostart !== false) {
      start();
    }
    return { start: start, stop: stop, running: function () { return on; } };
  }

  // --- keyboard wedge ------------------------------------------------------
  // A handheld scanner is a keyboard: it types the code and Enter. Into a
  // field, Enter ends the code. On document, keys typed outside any field
  // count when they come fast (people type far slower than 50 ms a key) and
  // the code is at least opts.minLength (20) long.
  function wedge(input, onCode, opts) {
    opts = opts || {};
    if (input && input.nodeType === 9) {
      var buf = "", last = 0, min = opts.minLength || 20;
      input.addEventListener("keydown", function (e) {
        var t = e.target;
        if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
        var now = Date.now();
        if (now - last > 50) buf = "";
        last = now;
        if (e.key === "Enter") {
          if (buf.length >= min) { e.preventDefault(); onCode(buf); }
          buf = "";
        } else if (e.key && e.key.length === 1) {
          buf += e.key;
        }
      });
      return;
    }
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      e.preventDefault();
      var text = input.value.trim();
      input.value = "";
      if (text) onCode(text);
    });
  }

  // --- the offline queue -----------------------------------------------------
  function queue(dbName) {
    var dbp = null;
    function db() {
      if (!dbp) {
        dbp = new Promise(function (ok, fail) {
          var req = indexedDB.open(dbName, 1);
          req.onupgradeneeded = function () { req.result.createObjectStore("queue", { keyPath: "nonce" }); };
          req.onsuccess = function () { ok(req.result); };
          req.onerror = function () { dbp = null; fail(req.error); };
        });
      }
      return dbp;
    }
    function tx(mode, fn) {
      return db().then(function (d) {
        return new Promise(function (ok, fail) {
          var t = d.transaction("queue", mode);
          var req = fn(t.objectStore("queue"));
          t.oncomplete = function () { ok(req ? req.result : undefined); };
          t.onerror = function () { fail(t.error); };
          t.onabort = function () { fail(t.error); };
        });
      });
    }
    return {
      name: dbName,
      add: function (item) {
        if (!item.nonce) item.nonce = nonce();
        return tx("readwrite", function (s) { return s.put(item); }).then(function () { return item; });
      },
      all: function () { return tx("readonly", function (s) { return s.getAll(); }); },
      remove: function (n) { return tx("readwrite", function (s) { return s.delete(n); }); },
      size: function () { return tx("readonly", function (s) { return s.count(); }); },
    };
  }

  // sync uploads q to url: one batch at a time, each answered before the
  // next. The server answers {"results":[{"nonce":…},…]}; an item it did
  // not answer for stays queued. A sync already running for q is joined.
  var running = new Map();
  function sync(q, url, csrfToken) {
    if (running.has(q)) return running.get(q);
    var results = [];
    function batch() {
      return q.all().then(function (items) {
        if (!items.length) return results;
        var send = items.slice(0, 500);
        var headers = { "Content-Type": "application/json", "Accept": "application/json" };
        if (csrfToken) headers["X-CSRF-Token"] = csrfToken;
        return fetch(url, { method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify({ scans: send }) })
          .then(function (r) {
            if (!r.ok) {
              var err = new Error("sync: " + r.status);
              err.status = r.status;
              throw err;
            }
            return r.json();
          }).then(function (j) {
            var got = (j && j.results) || [];
            results = results.concat(got);
            var sent = {};
            send.forEach(function (it) { sent[it.nonce] = true; });
            var answered = got.filter(function (res) { return res && sent[res.nonce]; });
            return Promise.all(answered.map(function (res) { return q.remove(res.nonce); })).then(function () {
              // More to send, and this batch moved on: the next one.
              return items.length > send.length && answered.length ? batch() : results;
            });
          });
      });
    }
    var p = batch().then(function (r) { running.delete(q); return r; }, function (e) { running.delete(q); throw e; });
    running.set(q, p);
    return p;
  }

  window.lanyardScan = { camera: camera, wedge: wedge, queue: queue, sync: sync, nonce: nonce, decoder: decoder };
})();
