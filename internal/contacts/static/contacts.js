// Contact exchange: the scan page, over the shared scanner
// (/static/scan.js). A scan — from the camera, a handheld scanner typing
// into the field, or the field typed by hand — goes into a queue kept on
// the phone (IndexedDB) and is uploaded to the sync API; offline, it stays
// queued and goes when the phone is back online. The server is idempotent
// by each scan's nonce, so an upload repeated after a lost answer changes
// nothing.
(function () {
  'use strict';
  var root = document.getElementById('contacts-scan');
  if (!root || !window.lanyardScan) return;
  var S = window.lanyardScan;
  var q = S.queue('lanyard-contacts');
  var form = document.getElementById('scan-form');
  var code = document.getElementById('scan-code');
  var status = document.getElementById('scan-status');
  var queueNote = document.getElementById('scan-queue');
  var busy = false;

  function say(text, bad) {
    status.textContent = text;
    status.className = bad ? 'hint field-error' : 'hint';
  }
  function showQueue() {
    return q.size().then(function (n) {
      queueNote.hidden = n === 0;
      queueNote.textContent = root.dataset.queued.replace('{n}', String(n));
      return n;
    });
  }
  function sync() {
    return S.sync(q, root.dataset.sync).then(function (results) {
      return showQueue().then(function () { return results; });
    }, function (err) {
      return showQueue().then(function () { throw err; });
    });
  }

  function add(text) {
    text = (text || '').trim();
    if (!text || busy) return;
    busy = true;
    var scan = { nonce: S.nonce(), code: text, scanned_at: new Date().toISOString() };
    var at = document.getElementById('scan-at').value;
    if (at) { scan.at = at; scan.label = document.getElementById('scan-label').value; }
    q.add(scan).then(showQueue).then(sync).then(function (results) {
      busy = false;
      var mine = results.filter(function (r) { return r.nonce === scan.nonce; })[0];
      if (!mine) return;
      if (mine.error) { say(mine.error.message, true); return; }
      say(root.dataset.added.replace('{name}', mine.name || ''));
      location.href = '/contacts/' + mine.contact_id;
    }, function () {
      busy = false;
      say(root.dataset.failed);
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = code.value;
    code.value = '';
    add(text);
  });
  // A handheld scanner types the code into the field and presses Enter;
  // the form's submit handles it. One typing anywhere else on the page:
  S.wedge(document, add);

  var btn = document.getElementById('scan-camera');
  var video = document.getElementById('scan-video');
  if (btn && video && navigator.mediaDevices) {
    btn.hidden = false;
    S.camera({
      video: video, button: btn, onCode: add,
      paused: function () { return busy; },
      onState: function (state) {
        video.hidden = state !== 'on' && state !== 'starting';
        btn.textContent = state === 'on' || state === 'starting' ? root.dataset.scanStop : root.dataset.scanStart;
        if (state === 'denied' || state === 'none') say(root.dataset.noCamera, true);
      }
    });
  }

  window.addEventListener('online', function () {
    sync().then(function (r) { if (r.length) say(root.dataset.synced); }, function () {});
  });
  showQueue().then(function (n) { if (n && navigator.onLine) sync().catch(function () {}); });
})();
