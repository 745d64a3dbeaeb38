// htmx settings that need code. Loaded after htmx on every page (templates/base.html).
//
// 409 Conflict: a concurrent edit was refused; the answer carries the form with what the person
// typed and what the other person saved, so it must be swapped in like a success (the
// responseHandling in the htmx-config meta tag says so too; this keeps it true for every region
// marked data-swap-conflict even if that configuration changes).
document.addEventListener("htmx:beforeSwap", (event) => {
  const detail = event.detail;
  if (detail.xhr && detail.xhr.status === 409 && event.target.closest("[data-swap-conflict]")) {
    detail.shouldSwap = true;
    detail.isError = false;
  }
});
