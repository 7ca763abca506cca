// Observation form: show "passed p of o observed items" as the supervisor taps (no inline script, CSP-safe).
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
  }
  form.addEventListener("change", update);
  update();
})();
