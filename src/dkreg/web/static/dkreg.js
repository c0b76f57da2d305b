// dkreg's pages work without this file; it starts Det Fælles Designsystem's scripts
// (menus, drop-downs, the error summary's jump to a field). A file of its own because the
// Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});
