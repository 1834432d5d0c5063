// Lounges page (issue 13): keeps each place's count and "full" state live
// by asking the occupancy API every 15 seconds while the page is visible.
// The server renders the first counts, so without script the page works.
(function () {
  "use strict";
  var places = document.querySelectorAll("[data-live-place]");
  if (!places.length || !window.fetch) return;
  var fmt = document.documentElement.lang === "ko"
    ? function (o) { return o.capacity ? o.inside + " / " + o.capacity + "명" : o.inside + "명"; }
    : function (o) { return o.capacity ? o.inside + " of " + o.capacity + " inside" : o.inside + " inside"; };
  function refresh() {
    if (document.hidden) return;
    places.forEach(function (el) {
      fetch("/api/v1/places/" + encodeURIComponent(el.dataset.livePlace) + "/occupancy", { credentials: "omit" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (o) {
          if (!o) return;
          el.querySelector("[data-inside]").textContent = fmt(o);
          el.querySelector("[data-full]").hidden = !o.full;
          el.closest(".place").classList.toggle("full", o.full);
        })
        .catch(function () {});
    });
  }
  setInterval(refresh, 15000);
  document.addEventListener("visibilitychange", refresh);
})();
