// Observation form: show "passed p of o observed items" as the supervisor taps, and the "why not observed"
// choice only for items left not observed (no inline script, CSP-safe).
(function () {
  "use strict";
  var form = document.getElementById("observation-form");
  var summary = document.getElementById("obs-summary");
  if (!form || !summary) { return; }
  var template = summary.getAttribute("data-template") || "{p}/{o}";
  function update() {
    var passed = 0, observed = 0;
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      if (input.value === "pass") { passed += 1; observed += 1; }
      else if (input.value === "fail") { observed += 1; }
    });
    summary.textContent = template.replace("{p}", passed).replace("{o}", observed);
    // the reason select matters only for an item left "not observed"
    form.querySelectorAll("fieldset[data-obs-item]").forEach(function (item) {
      var reason = item.querySelector("[data-obs-reason]");
      var checked = item.querySelector("input[type=radio]:checked");
      if (reason) { reason.hidden = !!checked && checked.value !== "not_observed"; }
    });
  }
  form.addEventListener("change", update);
  update();
})();
