// Swag pages (issue 14). Plain JS over the shared scanner (lanyardScan,
// /static/scan.js).
//  - The booth's page: live stock, reread every 5 seconds (the counts are
//    committed claims, read on any node).
//  - The exhibitor's page: the camera or a handheld scanner claims the
//    chosen item (or stamps the passport) without reloading the page; a
//    scan whose request fails waits in IndexedDB and is synced when the
//    network is back (the server is idempotent by the scan's nonce).
//    Without script, the forms post as they are.
//  - The prize desk: the camera fills the badge field and sends the form.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };

  var booth = $("swag-booth");
  if (booth && booth.dataset.stock) {
    var refresh = function () {
      fetch(booth.dataset.stock, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (body) {
        if (!body || !body.items) return;
        body.items.forEach(function (s) {
          var li = booth.querySelector('[data-item="' + s.item + '"]');
          if (!li) return;
          var left = li.querySelector(".left");
          if (left) left.textContent = String(s.left);
          li.classList.toggle("gone", s.left === 0);
        });
        booth.dataset.refreshed = String(Date.now());
      }).catch(function () {});
    };
    setInterval(refresh, 5000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
  }

  var scan = window.lanyardScan;
  var page = $("swag-exhibitor");
  if (page && scan) {
    var item = $("claim-item"), code = $("claim-code"), live = $("swag-live"), video = $("swag-video"), cam = $("swag-camera");
    var q = scan.queue("lanyard-swag");
    var say = function (ok, text, codeName) {
      if (!live) return;
      live.hidden = false;
      live.className = "swag-verdict " + (ok ? "ok" : "deny");
      live.dataset.code = codeName || "";
      live.textContent = text;
    };
    var setLeft = function (id, left) {
      if (left === undefined) return;
      var row = page.querySelector('tr[data-item="' + id + '"] .left');
      if (row) row.textContent = String(left);
      var opt = item && item.querySelector('option[value="' + id + '"]');
      if (opt && item.dataset.left) {
        opt.textContent = opt.dataset.name + " — " + item.dataset.left.replace("{left}", String(left)).replace("{stock}", opt.dataset.stock);
      }
    };
    var showQueued = function () {
      q.size().then(function (n) {
        var el = $("swag-queued");
        if (!el) return;
        el.hidden = n === 0;
        el.textContent = (page.dataset.queued || "{n}").replace("{n}", String(n));
      }).catch(function () {});
    };
    var syncNow = function () {
      return q.size().then(function (n) {
        if (!n || !navigator.onLine) return null;
        return scan.sync(q, page.dataset.sync).then(function (results) {
          results.forEach(function (v) { setLeft(v.item, v.left); });
          if (results.length) say(true, (page.dataset.synced || "{n}").replace("{n}", String(results.length)), "synced");
        });
      }).catch(function () {}).then(showQueued);
    };
    var claim = function (text) {
      var it = { item: Number(item.value), code: text, nonce: scan.nonce() };
      say(true, page.dataset.checking || "…", "checking");
      fetch(page.dataset.api, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(it),
      }).then(function (r) {
        return r.json().then(function (j) { return { status: r.status, body: j }; });
      }).then(function (res) {
        var v = res.body || {};
        if (v.error) { say(false, v.error.message, v.error.code); return; }
        say(v.ok, v.message, v.code);
        setLeft(v.item, v.left);
      }, function () {
        // No answer: kept on the device, sent when the network is back.
        q.add(it).then(function () {
          say(true, page.dataset.offline || "queued", "queued");
          showQueued();
        });
      });
    };
    var stampForm = $("stamp-form");
    var target = function () {
      var m = document.querySelector('input[name="scan-for"]:checked');
      return m ? m.value : "claim";
    };
    var onCode = function (text) {
      if (target() === "stamp" && stampForm) {
        $("stamp-code").value = text;
        stampForm.submit();
        return;
      }
      if (item) claim(text);
    };
    // A handheld scanner types the badge and Enter, which sends the form:
    // with script the scan goes through the JSON API instead (and the
    // offline queue), and the page stays.
    var form = $("claim-form");
    if (form && code) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var text = code.value.trim();
        code.value = "";
        if (text) onCode(text);
        code.focus();
      });
    }
    if (cam && video) {
      cam.hidden = false;
      scan.camera({ video: video, button: cam, autostart: false, onState: function (s) {
        video.hidden = s !== "on" && s !== "starting";
        cam.textContent = s === "on" || s === "starting" ? (cam.dataset.stop || cam.textContent) : (cam.dataset.start || cam.textContent);
      }, onCode: onCode });
    }
    window.addEventListener("online", syncNow);
    setInterval(syncNow, 10000);
    syncNow();
    page.dataset.ready = "1";
  }

  var desk = $("swag-desk");
  if (desk && scan) {
    var dvideo = $("swag-video"), dcam = $("swag-camera"), dform = $("desk-form");
    if (dcam && dvideo && dform) {
      dcam.hidden = false;
      scan.camera({ video: dvideo, button: dcam, autostart: false, onState: function (s) {
        dvideo.hidden = s !== "on" && s !== "starting";
      }, onCode: function (text) {
        $("desk-code").value = text;
        dform.submit();
      } });
    }
  }
  var focus = $("claim-code") || $("desk-code");
  if (focus) focus.focus();
})();
