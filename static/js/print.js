// The print buttons of the standalone print views (mission profile, link sheets): hidden until
// this script runs, so a page without JavaScript shows no button that does nothing. No inline
// handler: the Content Security Policy allows scripts only from files and with the nonce.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
