// lanyard maps: the attendee's map, and click-to-place on the console's
// plan page. A click on the
// plan puts the chosen room there (a point); with "rectangle", two clicks
// give opposite corners. The numbers land in the form's fields, which also
// work typed by hand (and without this script).
(() => {
  "use strict";
  // The attendee's map: a plan wider than the phone scrolls so that the
  // highlighted room is in view.
  for (const scroller of document.querySelectorAll(".plan-scroll")) {
    const lit = scroller.querySelector(".mark.lit");
    if (!lit || scroller.scrollWidth <= scroller.clientWidth) continue;
    const s = scroller.getBoundingClientRect(), m = lit.getBoundingClientRect();
    scroller.scrollLeft += m.left + m.width / 2 - (s.left + s.width / 2);
  }
  const frame = document.getElementById("plan-frame");
  const form = document.getElementById("mark-form");
  if (!frame || !form) return;
  const box = { x: +frame.dataset.minx, y: +frame.dataset.miny, w: +frame.dataset.w, h: +frame.dataset.h };
  const field = (n) => form.elements.namedItem(n);
  const draftRect = document.getElementById("draft-rect");
  const draftPoint = document.getElementById("draft-point");
  const round = (v) => Math.round(v * 100) / 100;
  const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
  let corner = null;
  // The click's place in the plan's coordinates: the frame has the plan's
  // proportions, and the image fills it.
  const at = (e) => {
    const r = frame.getBoundingClientRect();
    return {
      x: round(clamp(box.x + ((e.clientX - r.left) / r.width) * box.w, box.x, box.x + box.w)),
      y: round(clamp(box.y + ((e.clientY - r.top) / r.height) * box.h, box.y, box.y + box.h)),
    };
  };
  const show = (el, attrs) => {
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    el.setAttribute("visibility", "visible");
  };
  const set = (x, y, w, h) => {
    field("x").value = x;
    field("y").value = y;
    field("w").value = w;
    field("h").value = h;
  };
  frame.addEventListener("click", (e) => {
    const p = at(e);
    const rect = document.getElementById("shape-rect").checked;
    if (!rect) {
      corner = null;
      set(p.x, p.y, "", "");
      show(draftPoint, { cx: p.x, cy: p.y });
      draftRect.setAttribute("visibility", "hidden");
      return;
    }
    if (!corner) {
      corner = p;
      set(p.x, p.y, "", "");
      show(draftPoint, { cx: p.x, cy: p.y });
      draftRect.setAttribute("visibility", "hidden");
      return;
    }
    const x = Math.min(corner.x, p.x), y = Math.min(corner.y, p.y);
    const w = round(Math.abs(p.x - corner.x)), h = round(Math.abs(p.y - corner.y));
    corner = null;
    set(x, y, w, h);
    show(draftRect, { x, y, width: w, height: h });
    draftPoint.setAttribute("visibility", "hidden");
  });
  for (const r of form.querySelectorAll('input[name="shape"]')) r.addEventListener("change", () => { corner = null; });
})();
