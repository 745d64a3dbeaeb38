// Wide tables ({% table_region %}, core/templatetags/tables.py): the hint before a table's region
// shows while the table is wider than its box, so people know the rest is a swipe or an arrow key
// away. Checked on load, when a region changes size (window, web font, stacked rows on a phone)
// and after an htmx swap brings new regions.
(() => {
  const update = (region) => {
    const hint = region.previousElementSibling;
    if (!hint || !hint.classList.contains("table-region__hint")) return;
    hint.hidden = region.scrollWidth <= region.clientWidth + 1;
  };
  const observer = "ResizeObserver" in window
    ? new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)))
    : null;
  const watch = (root) => {
    for (const region of root.querySelectorAll(".table-region")) {
      update(region);
      if (observer) observer.observe(region);
    }
  };
  document.addEventListener("DOMContentLoaded", () => watch(document));
  document.addEventListener("htmx:afterSettle", (event) => watch(event.target));
  if (document.fonts) document.fonts.ready.then(() => watch(document));
})();
