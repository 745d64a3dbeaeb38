// Error summaries (templates/forms/errors.html): when a page or an htmx swap brings one, it takes
// the focus, so it is in view and read out; its links move the focus to the field they name (a
// plain fragment link would scroll but leave the focus where it was).
function focusErrorSummary(root) {
  if (!root || !root.isConnected) {
    return;
  }
  const selector = "[data-error-summary]";
  const summary = root.matches?.(selector) ? root : root.querySelector(selector);
  if (summary) {
    summary.focus();
  }
}

document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSettle", (event) => focusErrorSummary(event.target));

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-link]");
  if (!link) {
    return;
  }
  const field = document.getElementById(link.dataset.errorLink);
  if (!field) {
    return;
  }
  event.preventDefault();
  const details = field.closest("details");
  if (details) {
    details.open = true;
  }
  const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
  (label || field).scrollIntoView({ block: "center" });
  field.focus({ preventScroll: true });
  history.replaceState(null, "", `#${field.id}`);
});
