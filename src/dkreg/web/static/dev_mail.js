// The sandbox mail viewer refreshes itself: every few seconds it asks /dev/mail.json how
// many mails have been caught and reloads the list when the number changed. Progressive:
// without this file the page's "Refresh" link does the same. No inline script (the CSP).
(function () {
  "use strict";
  var list = document.getElementById("mail-list");
  if (!list || !window.fetch) {
    return;
  }
  var shown = list.getAttribute("data-count");
  var status = document.getElementById("mail-live");
  if (status) {
    status.hidden = false;
  }
  function check() {
    fetch("/dev/mail.json?since=" + encodeURIComponent(shown), {cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.changed) {
          window.location.reload();
        }
      })
      .catch(function () { /* the server is restarting: try again next time */ });
  }
  window.setInterval(check, 3000);
})();
