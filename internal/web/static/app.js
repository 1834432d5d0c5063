// lanyard: search as you type and live seat counts. The pages work
// without this script; it only makes them quicker.
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search");
  const results = document.getElementById("results");
  if (form && results) {
    let timer = 0, seq = 0;
    const run = () => {
      const params = new URLSearchParams(new FormData(form));
      for (const [k, v] of [...params]) if (v === "") params.delete(k);
      const qs = params.toString();
      history.replaceState(null, "", qs ? "/?" + qs : "/");
      params.set("fragment", "1");
      const mine = ++seq;
      fetch("/?" + params.toString(), {headers: {"Accept": "text/html"}, credentials: "same-origin"})
        .then(r => r.text())
        .then(html => {
          if (mine !== seq) return; // a newer search has started
          results.innerHTML = html;
          updateFacetCounts();
          watchSeats();
        })
        .catch(() => {});
    };
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
    form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(run, 0); });
    form.addEventListener("submit", e => { e.preventDefault(); clearTimeout(timer); run(); });
  }

  // A facet's list is a popover: one open at a time, closed by a click
  // elsewhere or Escape.
  const facets = [...document.querySelectorAll("details.facet")];
  const closeFacets = keep => { for (const d of facets) if (d !== keep) d.open = false; };
  for (const d of facets) d.addEventListener("toggle", () => { if (d.open) closeFacets(d); });
  document.addEventListener("click", ev => { if (!ev.target.closest("details.facet")) closeFacets(null); });
  document.addEventListener("keydown", ev => { if (ev.key === "Escape") closeFacets(null); });

  // Time zone for a new account: the browser's, unless one was typed (the
  // server's guess from the language is only a guess).
  for (const el of document.querySelectorAll("[data-detect-zone]")) {
    if (!el.value || el.value === el.defaultValue) {
      try { el.value = Intl.DateTimeFormat().resolvedOptions().timeZone || el.value; } catch (e) {}
    }
  }

  // Reserve and favorite in place: the form posts as without the script
  // (the answer is the page again, at the row), and only the row is swapped,
  // so the attendee keeps their place and the search stays as it was.
  document.addEventListener("submit", ev => {
    const f = ev.target;
    if (!(f instanceof HTMLFormElement) || !f.hasAttribute("data-inline") || !window.fetch || !window.DOMParser) return;
    const row = f.closest("li[id]");
    if (!row) return;
    ev.preventDefault();
    // The submitter's name and value (action=add) go with the form: read
    // them before the buttons are disabled, as disabled ones are not sent.
    let data;
    try { data = new FormData(f, ev.submitter); } catch (e) {
      data = new FormData(f);
      if (ev.submitter && ev.submitter.name) data.append(ev.submitter.name, ev.submitter.value);
    }
    for (const b of f.querySelectorAll("button")) b.disabled = true;
    // getAttribute: a button named "action" hides the form's action property.
    fetch(f.getAttribute("action"), {method: "POST", body: new URLSearchParams(data), credentials: "same-origin", redirect: "follow"})
      .then(r => r.text().then(html => ({r, html})))
      .then(({r, html}) => {
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.getElementById(row.id);
        if (!r.ok || !fresh) { location.href = r.url || location.href; return; }
        row.replaceWith(fresh);
        const msg = fresh.querySelector(".flash");
        if (msg) msg.setAttribute("tabindex", "-1");
        watchSeats();
      })
      .catch(() => location.reload());
  });

  watchSeats();
});

// Facet counts come with each result fragment; copy them into the filters.
function updateFacetCounts() {
  const box = document.getElementById("facet-counts");
  if (!box) return;
  for (const el of box.querySelectorAll("[data-fc]")) {
    const shown = document.querySelector('[data-count="' + CSS.escape(el.dataset.fc) + '"]');
    if (!shown) continue;
    shown.textContent = el.textContent;
    const label = shown.closest("label");
    const box2 = label && label.querySelector("input");
    if (label) label.classList.toggle("none", el.textContent === "0" && !(box2 && box2.checked));
  }
  for (const d of document.querySelectorAll("details.facet")) {
    const n = d.querySelectorAll("input:checked").length;
    const c = d.querySelector("summary .chosen");
    if (c) c.textContent = n ? "(" + n + ")" : "";
  }
}

// Live seats: one EventSource for the sessions on the page.
let source = null;
function watchSeats() {
  const holder = document.querySelector("[data-codes]");
  if (source) { source.close(); source = null; }
  if (!holder || !holder.dataset.codes || !window.EventSource) return;
  const texts = document.body;
  const left = texts.dataset.left || "{n}", full = texts.dataset.full || "{w}";
  source = new EventSource("/live/seats?codes=" + encodeURIComponent(holder.dataset.codes));
  source.addEventListener("seats", ev => {
    const counts = JSON.parse(ev.data);
    for (const [code, c] of Object.entries(counts)) {
      for (const el of document.querySelectorAll('[data-seats="' + CSS.escape(code) + '"]')) {
        const text = c.left > 0 ? left.replace("{n}", c.left) : full.replace("{w}", c.wait);
        if (el.textContent !== text) {
          el.textContent = text;
          el.classList.toggle("full", c.left <= 0);
          el.classList.remove("changed"); void el.offsetWidth; el.classList.add("changed");
        }
        // A reserve button on a now-full session would be refused: show it.
        const btn = document.querySelector('[data-reserve="' + CSS.escape(code) + '"]');
        if (btn && c.left <= 0 && !btn.form.querySelector('[name=waitlist]')) btn.disabled = true;
      }
    }
  });
}

// ---- Notifications (issue 12, inbox): the header's unread count, live.
// The server renders the count; this only keeps it current. The stream
// is the signed-in attendee's own (/live/inbox reads the sign-in cookie).
document.addEventListener("DOMContentLoaded", () => {
  const badge = document.getElementById("unread-count");
  if (!badge || !window.EventSource) return;
  const src = new EventSource(badge.dataset.live);
  src.addEventListener("unread", ev => {
    const n = parseInt(ev.data, 10);
    if (isNaN(n)) return;
    const num = badge.querySelector("[aria-hidden]"), said = badge.querySelector(".vh");
    if (num) num.textContent = String(n);
    if (said) said.textContent = said.textContent.replace(/\d+/, String(n));
    badge.hidden = n === 0;
  });
  // An unauthorized stream (signed out elsewhere) is not retried.
  src.addEventListener("error", () => { if (src.readyState === EventSource.CLOSED) src.close(); });
});
// ---- end notifications

// ---- line: the walk-up line (issue 13, web/line.go). My lines rereads
// itself when a message arrives over /live/inbox (a call) and every 20
// seconds (a call lapsing, places moving up); a call counts down.
(function () {
  function countdown() {
    for (const el of document.querySelectorAll("[data-until]")) {
      const left = Math.max(0, Math.round((Date.parse(el.dataset.until) - Date.now()) / 1000));
      el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    }
  }
  let busy = false;
  async function refresh() {
    const box = document.getElementById("lines");
    if (!box || busy) return;
    busy = true;
    try {
      const res = await fetch(location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } });
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const fresh = doc.getElementById("lines");
      if (fresh && fresh.innerHTML !== box.innerHTML) { box.innerHTML = fresh.innerHTML; countdown(); }
    } catch (e) { /* offline: try at the next nudge */ } finally { busy = false; }
  }
  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("lines");
    if (!box) return;
    countdown();
    setInterval(countdown, 1000);
    setInterval(refresh, 20000);
    if (!window.EventSource || !box.dataset.live) return;
    const src = new EventSource(box.dataset.live);
    let first = true; // the stream opens with the current count
    src.addEventListener("unread", () => { if (first) { first = false; return; } refresh(); });
    src.addEventListener("error", () => { if (src.readyState === EventSource.CLOSED) src.close(); });
  });
  window.lanyardRefreshLines = refresh; // for tests
})();
// ---- end line
