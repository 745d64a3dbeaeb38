// Copy buttons: <button data-copy="id-of-element" hidden> copies that element's text to the
// clipboard and says so in the element named by data-copy-status (a live region). Hidden until
// this script runs, so a page without JavaScript shows no button that does nothing (the address
// stays selectable as text).
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = button.dataset.copied;
      } catch {
        if (status) status.textContent = button.dataset.copyFailed;
      }
    });
  }
});
