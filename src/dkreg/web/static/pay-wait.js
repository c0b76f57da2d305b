// The payment result page while the provider's answer is on its way: reload every few
// seconds (the page says so), instead of a <meta refresh> that no one can stop. Without
// JavaScript the "Refresh" link does the same by hand.
document.addEventListener("DOMContentLoaded", function () {
  var link = document.querySelector("[data-pay-wait]");
  if (!link) { return; }
  var seconds = parseFloat(link.getAttribute("data-pay-wait")) || 2;
  var note = document.getElementById("pay-state");
  if (note && note.dataset.auto) { note.textContent = note.dataset.auto; }
  window.setTimeout(function () { window.location.replace(link.href); }, seconds * 1000);
});
