// The door app: scan a badge (camera, handheld scanner, or a name search),
// show the verdict full screen with a sound, and keep working offline:
// the door's data (signed by the server with Ed25519, checked here with
// WebCrypto) verifies badges on the device, scans queue in IndexedDB with
// a nonce and sync when the network returns. The camera, the handheld
// scanner, the queue and its upload are the shared scanner's
// (/static/scan.js, window.lanyardScan). Plain JS, no build step.
(function () {
  "use strict";
  var body = document.body;
  var words = JSON.parse(document.getElementById("door-words").textContent || "{}");
  var params = new URLSearchParams(location.search);
  var door = params.get("door") || (params.get("code") ? "s:" + params.get("code") : "");
  var eventID = Number(body.dataset.event);
  var state = {
    offline: !navigator.onLine,
    data: null,        // parsed door data
    records: null,     // Uint8Array of badge records
    reserved: null,    // Map id -> name
    admitted: null,    // Set of ids admitted here (server's, then ours)
    walkupLeft: 0,
    inside: 0,
    busy: false,
  };
  var RECORD = 12, HASH = 8;
  var scanner = window.lanyardScan;
  // The queue of offline scans (the shared scanner's, in its own IndexedDB).
  var scans = scanner.queue("lanyard-door-scans");

  function $(id) { return document.getElementById(id); }
  function fill(s, v) {
    return String(s || "").replace(/\{(\w+)\}/g, function (m, k) { return v && v[k] !== undefined ? v[k] : m; });
  }

  // --- IndexedDB: the door's data (and, from before the shared scanner,
  // a queue of offline scans, moved to its queue at start) ----------------
  var dbp = null;
  function db() {
    if (dbp) return dbp;
    dbp = new Promise(function (ok, fail) {
      var req = indexedDB.open("lanyard-door", 1);
      req.onupgradeneeded = function () {
        var d = req.result;
        d.createObjectStore("data");
        d.createObjectStore("queue", { keyPath: "nonce" });
        d.createObjectStore("local");
      };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
    return dbp;
  }
  function tx(store, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (ok, fail) {
        var t = d.transaction(store, mode);
        var out = fn(t.objectStore(store));
        t.oncomplete = function () { ok(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { fail(t.error); };
      });
    });
  }
  function idbGet(store, key) { return tx(store, "readonly", function (s) { return s.get(key); }); }
  function idbPut(store, value, key) { return tx(store, "readwrite", function (s) { return key === undefined ? s.put(value) : s.put(value, key); }); }
  function idbAll(store) { return tx(store, "readonly", function (s) { return s.getAll(); }); }

  // --- bytes ----------------------------------------------------------------
  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  var B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  function base32(s) {
    var bits = 0, val = 0, out = [];
    for (var i = 0; i < s.length; i++) {
      var v = B32.indexOf(s[i]);
      if (v < 0) return null;
      val = (val << 5) | v; bits += 5;
      if (bits >= 8) { out.push((val >>> (bits - 8)) & 255); bits -= 8; }
    }
    // Only the canonical spelling: unused low bits are zero, no extra char.
    if (bits >= 5 || (val & ((1 << bits) - 1)) !== 0) return null;
    return new Uint8Array(out);
  }
  function uvarint(b, p) {
    var x = 0, mul = 1;
    for (var i = 0; i < 10 && p + i < b.length; i++) {
      var c = b[p + i];
      x += (c & 127) * mul;
      if (c < 128) return [x, i + 1];
      mul *= 128;
    }
    return [0, 0];
  }
  // parseToken reads a badge token's claims (internal/badge/token.go):
  // "LY1" + base32 of [key, uvarint event, uvarint attendee, uint16 version, 10-byte MAC].
  function parseToken(t) {
    if (typeof t !== "string" || t.length > 64 || t.slice(0, 3) !== "LY1") return null;
    var raw = base32(t.slice(3));
    if (!raw || raw.length < 15) return null;
    var p = 1, ev = uvarint(raw, p);
    if (!ev[1]) return null;
    p += ev[1];
    var at = uvarint(raw, p);
    if (!at[1]) return null;
    p += at[1];
    if (raw.length - p !== 2 + 10) return null;
    return { event: ev[0], attendee: at[0], version: (raw[p] << 8) | raw[p + 1] };
  }
  // record finds an attendee's badge hash by binary search over the sorted records.
  function record(id) {
    var r = state.records, lo = 0, hi = r.length / RECORD - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, o = mid * RECORD;
      var v = ((r[o] << 24) >>> 0) + (r[o + 1] << 16) + (r[o + 2] << 8) + r[o + 3];
      if (v === id) return r.subarray(o + 4, o + RECORD);
      if (v < id) lo = mid + 1; else hi = mid - 1;
    }
    return null;
  }

  // --- the door's signed data ----------------------------------------------
  var pubKey = null;
  function publicKey() {
    if (!pubKey) pubKey = crypto.subtle.importKey("raw", b64(body.dataset.key), { name: "Ed25519" }, false, ["verify"]);
    return pubKey;
  }
  // useData checks the signature over the exact bytes and loads the data.
  function useData(saved) {
    var bytes = new TextEncoder().encode(saved.body);
    return publicKey().then(function (k) {
      return crypto.subtle.verify({ name: "Ed25519" }, k, b64(saved.sig), bytes);
    }).then(function (ok) {
      if (!ok) throw new Error("door data signature does not verify");
      var d = JSON.parse(saved.body);
      if (d.door !== door || d.event !== eventID) throw new Error("door data for another door");
      state.data = d;
      state.records = b64(d.badges);
      state.reserved = new Map(d.reserved.map(function (p) { return [p[0], p[1]]; }));
      return idbGet("local", door).then(function (local) {
        // Admissions made here offline since the data was issued count on.
        local = local && local.issued === d.issued ? local : { issued: d.issued, admitted: [], walkups: 0, overflow: {} };
        state.local = local;
        var exited = local.exited || [];
        state.admitted = new Set(d.admitted.concat(local.admitted).filter(function (id) { return exited.indexOf(id) < 0; }));
        state.walkupLeft = Math.max(d.walkup_left - local.walkups, 0);
        state.inside = Math.max(d.inside + local.admitted.length - exited.length, 0);
        $("door-name").textContent = d.name;
        $("data-age").textContent = fill(words.data_age, { time: new Date(d.issued).toLocaleTimeString() });
        showCount(state.inside, state.walkupLeft);
        return d;
      });
    });
  }
  function loadData() {
    return fetch("/door/api/data?door=" + encodeURIComponent(door), { credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) return signedOut();
      if (!r.ok) throw new Error("data " + r.status);
      var sig = r.headers.get("X-Lanyard-Signature");
      return r.text().then(function (t) {
        var saved = { body: t, sig: sig, fetched: Date.now() };
        return useData(saved).then(function () { return idbPut("data", saved, door); });
      });
    });
  }
  function saveLocal() { return idbPut("local", state.local, door); }

  // verifyOffline decides a scan from the door's data alone.
  function verifyOffline(token, attendeeID) {
    var d = state.data;
    if (!d) return Promise.resolve({ verdict: "deny", code: "error" });
    var id = attendeeID, check;
    if (token) {
      var c = parseToken(token);
      if (!c || c.event !== eventID) return Promise.resolve({ verdict: "deny", code: "badge_invalid" });
      id = c.attendee;
      check = crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)).then(function (sum) {
        var h = new Uint8Array(sum, 0, HASH), want = record(id);
        var same = want !== null;
        for (var i = 0; same && i < HASH; i++) same = want[i] === h[i];
        if (same) return null;
        var cur = d.replaced[String(id)];
        return cur && c.version < cur ? "badge_replaced" : "badge_invalid";
      });
    } else {
      check = Promise.resolve(record(id) ? null : "not_found");
    }
    return check.then(function (bad) {
      if (bad) return { verdict: "deny", code: bad, attendee_id: bad === "badge_invalid" ? 0 : id };
      var v = { attendee_id: id, name: state.reserved.get(id) || "" };
      var now = Date.now();
      if (d.place) return placeOffline(d, v, id, now);
      if (d.opens && now < Date.parse(d.opens)) {
        v.verdict = "deny"; v.code = "door_not_open"; v.time = new Date(Date.parse(d.opens)).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      } else if (d.closes && now >= Date.parse(d.closes)) {
        v.verdict = "deny"; v.code = "door_closed"; v.time = new Date(Date.parse(d.closes)).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      } else if (state.admitted.has(id)) {
        v.verdict = "deny"; v.code = "already_inside";
      } else if (d.sent && d.sent.indexOf(id) >= 0) {
        v.verdict = "admit"; v.kind = "overflow"; v.message = words.admit_overflow;
      } else if (state.reserved.has(id) && !released(now)) {
        v.verdict = "admit"; v.kind = "reserved";
      } else if (walkupLeft(now) > 0) {
        v.verdict = "admit_walkup"; v.kind = "walkup"; v.left = walkupLeft(now) - 1;
      } else {
        var room = (d.overflow || []).find(function (o) { return o.left - (state.local.overflow[o.room] || 0) > 0; });
        if (room) { v.verdict = "overflow"; v.room = room.room; v.minutes = room.walk_minutes; }
        else { v.verdict = "deny"; v.code = "no_seats"; }
      }
      return v;
    });
  }
  // placeOffline is the engine's rule for a place's door, on the device:
  // in and out, the entitled only, never above the capacity.
  function placeOffline(d, v, id, now) {
    if (scanMode() === "out") {
      v.verdict = state.admitted.has(id) ? "exit" : "deny";
      if (v.verdict === "deny") v.code = "not_found";
      return v;
    }
    if ((d.opens && now < Date.parse(d.opens)) || (d.closes && now >= Date.parse(d.closes))) {
      v.verdict = "deny"; v.code = now < Date.parse(d.opens || 0) ? "door_not_open" : "door_closed";
    } else if (d.entitled && d.entitled.indexOf(id) < 0) {
      v.verdict = "deny"; v.code = "not_entitled";
    } else if (state.admitted.has(id)) {
      v.verdict = "deny"; v.code = "already_inside";
    } else if (d.capacity > 0 && state.inside >= d.capacity) {
      v.verdict = "deny"; v.code = "place_full";
    } else {
      v.verdict = "admit"; v.kind = "place"; v.message = words.enter;
    }
    return v;
  }
  // released: past the release, a reservation no longer holds a seat by
  // itself (the engine's rule): reserved attendees come in as walk-ups.
  function released(now) { return !!state.data.release_at && now >= Date.parse(state.data.release_at); }
  // walkupLeft counts the walk-up seats left on the device: the issued
  // figure less its own admissions; past the release, the room's free seats.
  function walkupLeft(now) {
    if (!released(now) || Date.parse(state.data.issued) >= Date.parse(state.data.release_at)) return state.walkupLeft;
    return Math.max(state.data.walkup_after_release - state.local.admitted.length, 0);
  }
  // For the browser test's timing of the offline check (no side effects)
  // and of loading a door's data.
  window.doorVerify = verifyOffline;
  window.doorLoad = function (body, sig) { return useData({ body: body, sig: sig }); };

  // applyLocal counts an offline admission on the device.
  function applyLocal(v) {
    if (v.verdict === "admit" || v.verdict === "admit_walkup") {
      state.admitted.add(v.attendee_id);
      // Back into a place they left offline: undo the exit, else count in.
      var j = (state.local.exited || []).indexOf(v.attendee_id);
      if (j >= 0) state.local.exited.splice(j, 1);
      else state.local.admitted.push(v.attendee_id);
      state.inside++;
      if (v.verdict === "admit_walkup") { state.local.walkups++; state.walkupLeft = Math.max(state.walkupLeft - 1, 0); }
    } else if (v.verdict === "exit") {
      // Left a place: out of the count, and counted out again after a reload.
      state.admitted.delete(v.attendee_id);
      var k = state.local.admitted.indexOf(v.attendee_id);
      if (k >= 0) state.local.admitted.splice(k, 1);
      else (state.local.exited = state.local.exited || []).push(v.attendee_id);
      state.inside = Math.max(state.inside - 1, 0);
    } else if (v.verdict === "overflow") {
      state.admitted.add(v.attendee_id);
      state.local.admitted.push(v.attendee_id);
      state.local.overflow[v.room] = (state.local.overflow[v.room] || 0) + 1;
    }
    showCount(state.inside, walkupLeft(Date.now()));
    return saveLocal();
  }

  // --- network state ----------------------------------------------------------
  function setOffline(off) {
    if (state.offline === off) return;
    state.offline = off;
    $("offline-banner").hidden = !off;
    $("net").textContent = off ? words.offline_short : words.online;
    $("net").className = "net " + (off ? "offline" : "online");
    if (!off) { sync(); }
  }
  window.addEventListener("online", function () { ping(); });
  window.addEventListener("offline", function () { setOffline(true); });
  function withTimeout(p, ms) {
    return Promise.race([p, new Promise(function (_, fail) { setTimeout(function () { fail(new Error("timeout")); }, ms); })]);
  }
  function ping() {
    return withTimeout(fetch("/door/api/count?door=" + encodeURIComponent(door), { credentials: "same-origin", cache: "no-store" }), 4000)
      .then(function (r) {
        if (r.status === 401) return signedOut();
        if (!r.ok) throw new Error("count " + r.status);
        return r.json();
      }).then(function (c) {
        if (!c) return;
        setOffline(false);
        showCount(c.inside, c.seats_left);
      }).catch(function () { setOffline(true); });
  }

  // signedOut forgets the door's data (attendees' names) on this device,
  // keeping the queued scans for the next sign-in to sync, and goes to
  // sign in: a shared phone keeps no one's list.
  function signedOut() {
    return tx("data", "readwrite", function (s) { return s.clear(); }).then(function () {
      location.href = "/signin?next=" + encodeURIComponent(location.pathname + location.search);
    });
  }

  function showCount(inside, left) {
    $("inside").textContent = inside;
    $("seats-left").textContent = left < 0 ? "–" : left;
  }

  // --- scans ------------------------------------------------------------------
  var nonce = scanner.nonce;
  // scanMode is "out" when a place's door scans people leaving (lounges
  // count who is inside); every other door only lets people in.
  function scanMode() {
    var out = document.getElementById("mode-out");
    return door.indexOf("p:") === 0 && out && out.checked ? "out" : "in";
  }
  (function () {
    var box = document.getElementById("scan-mode");
    if (box) box.hidden = door.indexOf("p:") !== 0;
  })();
  function scan(token, attendeeID) {
    if (!door) { show({ verdict: "deny", message: words.pick_first }); return Promise.resolve(); }
    var req = { door: door, nonce: nonce(), mode: scanMode(), scanned_at: new Date().toISOString() };
    if (token) req.token = token; else req.attendee_id = attendeeID;
    var offlineScan = function () {
      return verifyOffline(token, attendeeID).then(function (v) {
        var item = Object.assign({}, req, { verdict: v.verdict });
        if (v.verdict === "deny") item.code = v.code;
        return scans.add(item).then(function () { return applyLocal(v); }).then(function () {
          show(v);
          return queueSize();
        });
      });
    };
    if (state.offline) return offlineScan();
    return withTimeout(fetch("/door/api/scan", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req),
    }), 5000).then(function (r) {
      if (r.status >= 500) throw new Error("server " + r.status);
      return r.json().then(function (j) {
        if (r.ok) { show(j); showCount(j.inside, j.seats_left); return; }
        var code = j.error && j.error.code;
        show({ verdict: "deny", code: code, message: words[code] || (j.error && j.error.message) });
      });
    }).catch(function () {
      // The network failed: this scan (same nonce, so a server that did
      // get it answers the same at sync) is decided here.
      setOffline(true);
      return offlineScan();
    });
  }

  function queueSize() {
    return scans.size().then(function (n) {
      $("queue").textContent = n ? fill(words.queued, { n: n }) : "";
      return n;
    });
  }
  // moveOldQueue moves scans queued by the door app before it used the
  // shared scanner into the shared queue, once.
  function moveOldQueue() {
    return idbAll("queue").then(function (old) {
      if (!old.length) return;
      return Promise.all(old.map(function (it) { return scans.add(it); }))
        .then(function () { return tx("queue", "readwrite", function (s) { return s.clear(); }); });
    }).catch(function () {});
  }

  // sync uploads the queue (the shared scanner's sync, 500 a batch, the
  // server idempotent by nonce) and then loads fresh data.
  var syncing = false;
  function sync() {
    if (syncing || state.offline) return Promise.resolve();
    syncing = true;
    return scans.size().then(function (n) {
      if (!n) return;
      return scanner.sync(scans, "/door/api/sync").then(function (results) {
        var conflicts = results.filter(function (res) { return res.conflict; }).length;
        var el = $("queue");
        el.textContent = fill(words.synced, { n: results.length }) + (conflicts ? " · " + fill(words.conflicts, { n: conflicts }) : "");
        el.dataset.synced = String((Number(el.dataset.synced) || 0) + results.length);
        el.dataset.conflicts = String((Number(el.dataset.conflicts) || 0) + conflicts);
        // Fresh data: the server's admissions replace the local ones
        // (useData starts a new local count for data issued later; if
        // the download fails, the old data and its count stay).
        return loadData();
      });
    }).catch(function () { setOffline(true); }).then(function () { syncing = false; });
  }

  // --- the verdict ----------------------------------------------------------
  var audio = null;
  function beep(kind) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tones = { admit: [[880, 0.15]], admit_walkup: [[660, 0.12], [990, 0.12]], overflow: [[520, 0.15], [520, 0.15]], deny: [[220, 0.5]], exit: [[700, 0.1]] }[kind] || [[440, 0.2]];
      var t = audio.currentTime;
      tones.forEach(function (tn) {
        var o = audio.createOscillator(), g = audio.createGain();
        o.frequency.value = tn[0];
        o.type = kind === "deny" ? "square" : "sine";
        g.gain.setValueAtTime(0.25, t);
        g.gain.exponentialRampToValueAtTime(0.001, t + tn[1]);
        o.connect(g); g.connect(audio.destination);
        o.start(t); o.stop(t + tn[1]);
        t += tn[1] + 0.05;
      });
    } catch (e) { /* no sound: the screen still says it */ }
  }
  var hideTimer = 0;
  function show(v) {
    var box = $("verdict");
    var msg = v.message;
    if (!msg) {
      var key = v.verdict === "deny" ? v.code : v.verdict;
      msg = fill(words[key] || words.error, { left: v.left !== undefined ? v.left : state.walkupLeft, room: v.room, minutes: v.minutes, time: v.time, session: v.session });
    }
    box.className = "verdict " + v.verdict;
    box.dataset.verdict = v.verdict;
    box.dataset.code = v.code || "";
    $("verdict-word").textContent = words["word_" + v.verdict] || v.verdict;
    $("verdict-name").textContent = v.name || "";
    $("verdict-message").textContent = msg;
    box.hidden = false;
    beep(v.verdict);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(next, v.verdict === "deny" ? 4000 : 2500);
  }
  function next() {
    $("verdict").hidden = true;
    $("wedge").focus();
  }
  $("verdict-next").addEventListener("click", next);
  $("verdict").addEventListener("click", next);

  // handle takes a token from any input. A badge held in front of the
  // camera is seen again and again: the shared camera reports it once, and
  // again only after it was out of sight for 5 s (the verdict on screen
  // counts as in sight). A handheld scanner's scan is always deliberate.
  function handle(token) {
    token = String(token || "").trim().toUpperCase();
    if (!token) return;
    scan(token, 0);
  }
  window.doorScan = handle; // for tests and a pasted token

  // --- keyboard wedge: a handheld scanner types the token and Enter ---------
  var wedge = $("wedge");
  scanner.wedge(wedge, handle);

  // --- camera ---------------------------------------------------------------
  // The staff member can turn the camera off (a handheld scanner at the
  // door, or a badge left in view); the choice is kept on the device.
  var camera = scanner.camera({
    video: $("camera"),
    autostart: false,
    maxDecodeWidth: 640,
    paused: function () { return !$("verdict").hidden; },
    onCode: handle,
    onState: function (st, detail) {
      var note = $("camera-state");
      if (st === "starting") { note.textContent = ""; $("camera-toggle").textContent = words.camera_stop; }
      else if (st === "on") { body.dataset.decoder = detail; }
      else if (st === "off") { note.textContent = words.camera_off; $("camera-toggle").textContent = words.camera_on; }
      else { note.textContent = words.camera_none; }
    },
  });
  $("camera-toggle").addEventListener("click", function () {
    if (camera.running()) { localStorage.setItem("door-camera", "off"); camera.stop(); }
    else { localStorage.removeItem("door-camera"); camera.start(); }
  });

  // --- name search (online: the server; offline: the door's reserved list) --
  $("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = $("search").value.trim(), list = $("search-results");
    list.textContent = "";
    if (q.length < 3) { list.textContent = words.search_min; return; }
    var shown = function (people) {
      people.slice(0, 10).forEach(function (p) {
        var li = document.createElement("li"), b = document.createElement("button");
        b.type = "button"; b.textContent = p.name + (p.company ? " · " + p.company : "");
        b.dataset.attendee = p.id;
        b.addEventListener("click", function () { list.textContent = ""; $("search").value = ""; scan("", p.id); });
        li.appendChild(b); list.appendChild(li);
      });
    };
    if (state.offline) {
      var ql = q.toLowerCase(), hits = [];
      state.reserved && state.reserved.forEach(function (name, id) { if (hits.length < 10 && name.toLowerCase().indexOf(ql) >= 0) hits.push({ id: id, name: name }); });
      shown(hits);
      return;
    }
    fetch("/door/api/search?q=" + encodeURIComponent(q), { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (j) { shown(j.results || []); }).catch(function () { setOffline(true); });
  });

  // --- start ----------------------------------------------------------------
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/door/sw.js", { scope: "/door/" }).catch(function () {});
  $("offline-banner").hidden = !state.offline;
  if (!door) { $("door-name").textContent = words.pick_first; }
  else {
    $("stats-link").href = "/door/stats?door=" + encodeURIComponent(door);
    var fromCache = idbGet("data", door).then(function (saved) { return saved ? useData(saved).catch(function () {}) : null; });
    fromCache.then(function () { return state.offline ? null : loadData(); })
      .catch(function () { setOffline(true); })
      .then(moveOldQueue)
      .then(function () { body.dataset.ready = "1"; queueSize(); if (!state.offline) sync(); });
    setInterval(function () { if (document.hidden) return; ping(); }, 5000);
  }
  wedge.focus();
  if (localStorage.getItem("door-camera") === "off") camera.stop(); else camera.start();
})();
