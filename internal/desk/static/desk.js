// The badge desk's cameras: scanning a badge's QR code, and the badge
// photo with its checks live on screen. Plain JS, no build step.
//
// QR codes and the handheld scanner are the shared scanner's
// (/static/scan.js, window.lanyardScan: the browser's BarcodeDetector
// where it has one, else jsQR, loaded only when needed).
(function () {
  "use strict";

  // The photo checks of internal/photo: mean luma (Rec. 601) below 70 is
  // too dark, above 210 too bright, a standard deviation below 25 flat.
  // Measured here on the same 3:4 crop the server keeps.
  var MIN_MEAN = 70, MAX_MEAN = 210, MIN_STDDEV = 25;
  // How often the live check looks at the camera: five times a second.
  var LIVE_MS = 200;

  function cameraError(root, err) {
    return err && (err.name === "NotAllowedError" || err.name === "SecurityError") ? root.dataset.cameraDenied : root.dataset.cameraNone;
  }

  function hasCamera() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function stop(stream) {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
  }

  // crop is the 3:4 part of a w×h frame the server keeps: centred across,
  // with a third of the cut above it and two thirds below.
  function crop(w, h) {
    var cw = w, ch = Math.floor(w * 4 / 3);
    if (w * 4 > h * 3) { cw = Math.floor(h * 3 / 4); ch = h; }
    return {x: Math.floor((w - cw) / 2), y: Math.floor((h - ch) / 3), w: cw, h: ch};
  }

  // measure returns the mean and standard deviation of the luma of a frame.
  function measure(ctx, w, h) {
    var px = ctx.getImageData(0, 0, w, h).data, sum = 0, sum2 = 0, n = w * h;
    for (var i = 0; i < px.length; i += 4) {
      var l = 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
      sum += l; sum2 += l * l;
    }
    var mean = sum / n;
    return {mean: mean, stddev: Math.sqrt(Math.max(0, sum2 / n - mean * mean))};
  }

  function judge(m) {
    if (m.mean < MIN_MEAN) return "dark";
    if (m.mean > MAX_MEAN) return "bright";
    if (m.stddev < MIN_STDDEV) return "flat";
    return "ok";
  }

  // --- Finding the attendee: camera scan; the wedge scanner just types
  // into the field and presses Enter.
  function scanner(root) {
    var button = document.getElementById("scan-camera");
    var video = document.getElementById("scan-video");
    var status = document.getElementById("scan-status");
    var form = document.getElementById("scan-form");
    var field = document.getElementById("code");
    if (!hasCamera()) return;
    button.hidden = false;
    var camera = window.lanyardScan.camera({
      video: video,
      button: button,
      width: 1280,
      maxDecodeWidth: 0,
      onCode: function (text) {
        camera.stop();
        status.textContent = root.dataset.scanFound;
        field.value = text;
        form.submit();
      },
      onState: function (st, err) {
        if (st === "starting") {
          video.hidden = false;
          button.textContent = root.dataset.scanStop;
          status.textContent = root.dataset.scanLooking;
        } else if (st === "off" || st === "none" || st === "denied") {
          video.hidden = true;
          button.textContent = root.dataset.scanStart;
          if (st === "off") field.focus();
          else status.textContent = cameraError(root, err);
        }
      },
    });
  }

  // --- The badge photo: the live checks and the capture.
  function photoDesk(root) {
    var start = document.getElementById("cam-start");
    var shoot = document.getElementById("cam-capture");
    var video = document.getElementById("cam-video");
    var live = document.getElementById("photo-live");
    var meter = document.getElementById("photo-meter");
    var result = document.getElementById("photo-result");
    var checks = document.getElementById("photo-checks");
    var small = document.createElement("canvas");
    var sctx = small.getContext("2d", {willReadFrequently: true});
    var stream = null, timer = 0;
    small.width = 60; small.height = 80; // enough to judge light, cheap five times a second

    function say(state) {
      live.dataset.state = state;
      live.textContent = root.dataset["live" + state.charAt(0).toUpperCase() + state.slice(1)];
    }

    // The face-size hint, where the browser has a face detector (the Shape
    // Detection API; Chrome behind a flag, some Android and macOS builds):
    // a face under a quarter of the badge's height is too far, over 60 %
    // too near. Without one the desk judges light only.
    var faces = null, faceBusy = false, lookCount = 0;
    var faceHint = document.getElementById("photo-face");
    if ("FaceDetector" in window) {
      try { faces = new window.FaceDetector({fastMode: true, maxDetectedFaces: 1}); } catch (e) { faces = null; }
    }

    function lookForFace(c) {
      if (!faces || faceBusy || lookCount++ % 5) return; // once a second
      faceBusy = true;
      faces.detect(video).then(function (found) {
        faceBusy = false;
        var key = "faceNone";
        if (found.length) {
          var r = found[0].boundingBox.height / c.h;
          key = r < 0.25 ? "faceCloser" : r > 0.6 ? "faceBack" : "faceOk";
        }
        faceHint.hidden = false;
        faceHint.dataset.state = key;
        faceHint.textContent = root.dataset[key];
      }, function () { faceBusy = false; faces = null; });
    }

    function look() {
      var w = video.videoWidth, h = video.videoHeight;
      if (!w || !h) return;
      var c = crop(w, h);
      sctx.drawImage(video, c.x, c.y, c.w, c.h, 0, 0, small.width, small.height);
      var m = measure(sctx, small.width, small.height);
      say(judge(m));
      lookForFace(c);
      meter.textContent = root.dataset.meter.replace("{b}", Math.round(m.mean)).replace("{c}", Math.round(m.stddev));
    }

    if (!hasCamera()) {
      start.hidden = true;
      shoot.hidden = true;
      live.textContent = root.dataset.cameraNone;
    }

    start.addEventListener("click", function () {
      if (stream) return;
      say("waiting");
      navigator.mediaDevices.getUserMedia({video: {facingMode: "user", width: {ideal: 1280}, height: {ideal: 960}}, audio: false}).then(function (s) {
        stream = s;
        video.srcObject = s;
        return video.play();
      }).then(function () {
        start.hidden = true;
        shoot.disabled = false;
        timer = setInterval(look, LIVE_MS);
        look();
      }).catch(function (err) {
        stop(stream);
        stream = null;
        live.dataset.state = "error";
        live.textContent = cameraError(root, err);
      });
    });

    shoot.addEventListener("click", function () {
      var w = video.videoWidth, h = video.videoHeight;
      if (!stream || !w || !h) return;
      var c = crop(w, h), canvas = document.createElement("canvas");
      canvas.width = c.w; canvas.height = c.h;
      canvas.getContext("2d").drawImage(video, c.x, c.y, c.w, c.h, 0, 0, c.w, c.h);
      shoot.disabled = true;
      result.className = "";
      result.textContent = root.dataset.photoSending;
      canvas.toBlob(function (blob) {
        var body = new FormData();
        body.append("photo", blob, "desk.jpg");
        fetch("/desk/attendees/" + root.dataset.attendee + "/photo", {method: "POST", body: body, headers: {Accept: "application/json"}, credentials: "same-origin"})
          .then(function (r) { return r.json().then(function (j) { return {ok: r.ok, body: j}; }); })
          .then(function (res) {
            shoot.disabled = false;
            if (!res.ok) {
              result.className = "flash error";
              result.textContent = (res.body.error && res.body.error.message) || root.dataset.photoFailed;
              return;
            }
            show(res.body);
          })
          .catch(function () {
            shoot.disabled = false;
            result.className = "flash error";
            result.textContent = root.dataset.photoFailed;
          });
      }, "image/jpeg", 0.92);
    });

    // show puts the stored photo and its checks on the page.
    function show(p) {
      var img = document.getElementById("photo-img");
      if (!img) {
        var none = document.getElementById("photo-none");
        img = document.createElement("img");
        img.id = "photo-img";
        img.width = 150; img.height = 200;
        img.alt = "";
        none.replaceWith(img);
      }
      img.src = p.url;
      checks.textContent = "";
      p.checks.forEach(function (c) {
        var li = document.createElement("li");
        li.dataset.check = c.code;
        li.textContent = c.message;
        checks.appendChild(li);
      });
      var hint = document.getElementById("print-no-photo");
      if (hint) hint.remove();
      result.className = p.flagged ? "flash warn-note" : "flash";
      result.textContent = p.flagged ? root.dataset.photoFlagged : root.dataset.photoSaved;
    }

    // A badge just printed: its PDF is loaded in a hidden frame, and the
    // browser's print dialog opens on it (not under test automation, where
    // there is no one to close it). The link opens it in a tab instead.
    var frame = document.getElementById("print-frame");
    if (frame && !navigator.webdriver) frame.addEventListener("load", function () {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
      } catch (e) {
        // The browser's viewer refuses: the link is there.
      }
    });
    window.addEventListener("pagehide", function () { clearInterval(timer); stop(stream); });
  }

  // --- A wedge scanner used while no field has focus (on a person's page,
  // the next person's badge): what it typed is looked up as a scan.
  function wedge(root) {
    window.lanyardScan.wedge(document, function (code) {
      location.href = root.dataset.wedge + "?code=" + encodeURIComponent(code);
    });
  }

  var find = document.getElementById("desk-find");
  if (find) scanner(find);
  var desk = document.getElementById("desk-attendee");
  if (desk) photoDesk(desk);
  var any = find || desk;
  if (any) wedge(any);
})();
