// "Register a domain": the price line follows the chosen period. Progressive only: each
// period's option already names its price, and the server shows the chosen one.
document.addEventListener("DOMContentLoaded", function () {
  var period = document.getElementById("period");
  var price = document.getElementById("price");
  if (!period || !price || !price.dataset.prices) {
    return;
  }
  var prices = JSON.parse(price.dataset.prices);
  var template = price.dataset.template || "";
  period.addEventListener("change", function () {
    var amount = prices[period.value];
    if (amount && template) {
      price.textContent = template.replace("{amount}", amount);
    }
  });
});
