/*
 * Quiz attempt pages: autosave, countdown, submit confirmation. No inline script (CSP).
 *
 * Every answer is posted to the form's data-save-url as soon as it changes (text boxes after a
 * short pause). A failed save (network down) stays queued and is retried every few seconds and
 * when the browser comes back online, so nothing given is lost; the page warns before closing
 * while a save is pending. Without JavaScript the form's buttons save instead.
 * The countdown is only a display: the server enforces the deadline whatever it shows.
 */
(function () {
  "use strict";

  var form = document.getElementById("attempt-form");
  var statusBox = document.getElementById("autosave-status");
  var pending = {};
  var inFlight = false;
  var closed = false;
  var retryTimer = null;
  var textTimers = {};
  var leaving = false;

  if (statusBox && form) {  // the autosave note is only true when this script runs
    statusBox.textContent = statusBox.getAttribute("data-msg-ready") || "";
    statusBox.hidden = false;
  }

  function message(name) {
    return statusBox ? statusBox.getAttribute("data-msg-" + name) || "" : "";
  }

  function setStatus(text, cls) {
    if (!statusBox) { return; }
    statusBox.textContent = text;
    statusBox.className = "small mb-2 " + (cls || "text-muted");
  }

  function hasPending() {
    return Object.keys(pending).length > 0;
  }

  function fieldsetOf(element) {
    while (element && element !== form) {
      if (element.classList && element.classList.contains("quiz-question")) { return element; }
      element = element.parentNode;
    }
    return null;
  }

  function collect(positions) {
    var data = new FormData();
    data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    data.append("page", form.querySelector("input[name=page]").value);
    positions.forEach(function (position) {
      var box = form.querySelector(".quiz-question[data-position='" + position + "']");
      if (!box) { return; }
      data.append("items", position);
      Array.prototype.forEach.call(box.querySelectorAll("input, select"), function (el) {
        if (!el.name || el.name === "items") { return; }
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
        data.append(el.name, el.value);
      });
    });
    return data;
  }

  function markAnswered(answered) {
    var set = {};
    (answered || []).forEach(function (p) { set[String(p)] = true; });
    Array.prototype.forEach.call(document.querySelectorAll(".quiz-saved-mark"), function (mark) {
      mark.classList.toggle("d-none", !set[mark.getAttribute("data-position")]);
    });
    var counter = document.getElementById("answered-count");
    if (counter) { counter.textContent = String((answered || []).length); }
  }

  function closeAttempt(body) {
    closed = true;
    pending = {};
    Array.prototype.forEach.call(form.querySelectorAll("input, select, button"), function (el) {
      if (el.type !== "hidden") { el.disabled = true; }
    });
    setStatus(body.message || message("failed"), "text-danger fw-semibold");
    if (body.review_url) {
      window.setTimeout(function () { window.location.assign(body.review_url); }, 2500);
    }
  }

  function scheduleRetry() {
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, 5000);
    }
  }

  function flush() {
    if (closed || inFlight || !hasPending()) { return Promise.resolve(); }
    var positions = Object.keys(pending);
    pending = {};
    inFlight = true;
    setStatus(message("saving"));
    return fetch(form.getAttribute("data-save-url"), {
      method: "POST",
      body: collect(positions),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // a login page after the session ended, a proxy error page …: retrying will not help
        return { status: response.status, body: { ok: false } };
      }
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      inFlight = false;
      if (result.status === 409) { closeAttempt(result.body); return; }
      if (!result.body.ok) {
        positions.forEach(function (p) { pending[p] = true; });
        setStatus(message("failed"), "text-danger");
        if (result.status >= 500) { scheduleRetry(); }
        return;
      }
      markAnswered(result.body.answered);
      setStatus(message("saved") + " · " + new Date().toLocaleTimeString(), "text-success");
      if (hasPending()) { flush(); }
    }).catch(function () {
      inFlight = false;
      positions.forEach(function (p) { pending[p] = true; });
      setStatus(message("offline"), "text-danger");
      scheduleRetry();
    });
  }

  function queue(element) {
    var box = fieldsetOf(element);
    if (!box || closed) { return; }
    pending[box.getAttribute("data-position")] = true;
    flush();
  }

  if (form) {
    form.addEventListener("change", function (event) { queue(event.target); });
    form.addEventListener("input", function (event) {
      if (event.target.type !== "text") { return; }
      var box = fieldsetOf(event.target);
      if (!box) { return; }
      var key = box.getAttribute("data-position");
      window.clearTimeout(textTimers[key]);
      textTimers[key] = window.setTimeout(function () { queue(event.target); }, 800);
    });
    form.addEventListener("submit", function () { pending = {}; leaving = true; });
    window.addEventListener("online", flush);
    window.addEventListener("beforeunload", function (event) {
      if (!leaving && !closed && (hasPending() || inFlight)) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // --- countdown -------------------------------------------------------------------------------
  var timerBox = document.getElementById("quiz-timer");
  if (timerBox) {
    var value = timerBox.querySelector(".quiz-timer-value");
    var endsAt = Date.now() + parseInt(timerBox.getAttribute("data-seconds-left"), 10) * 1000;
    var timeoutForm = document.getElementById("quiz-timeout-form");
    var fired = false;
    var tick = function () {
      var left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      value.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      if (left <= 60) { timerBox.classList.remove("text-bg-warning"); timerBox.classList.add("text-bg-danger"); }
      if (left === 0 && !fired) {
        fired = true;
        setStatus(message("timeup"), "text-danger fw-semibold");
        var done = form ? flush() : Promise.resolve();
        done.then(function () { leaving = true; if (timeoutForm) { timeoutForm.submit(); } });
        return;
      }
      window.setTimeout(tick, 500);
    };
    tick();
  }

  // --- submit: confirm once, then never twice ---------------------------------------------------
  var submitForm = document.getElementById("quiz-submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      var button = submitForm.querySelector("button[data-confirm]");
      if (button && !window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
        return;
      }
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  }
}());
