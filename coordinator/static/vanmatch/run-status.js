// Follows a matching run on the programme dashboard without a reload: polls the run's status
// and updates the live region; when the run is done, shows the link to the proposals.
(function () {
  "use strict";
  var panel = document.querySelector("[data-status-url]");
  if (!panel) return;
  var url = panel.getAttribute("data-status-url");
  var state = document.getElementById("run-state");
  var done = document.getElementById("run-done");
  var clock = document.getElementById("run-clock");
  // The words come from the page (the project's translations, in the page's language), with
  // {name} where the run's status fills in a value.
  var words = JSON.parse(document.getElementById("run-words").textContent);
  function fill(text, d) {
    return text.replace(/\{(\w+)\}/g, function (_all, name) { return d[name] == null ? "" : String(d[name]); });
  }
  // The key figures (waiting, proposals to review …) as the finished run left them: read from
  // the page itself, fetched again, so the numbers never need a second definition here.
  // So are the lines under the run (proposals kept, changed and new; how many wait for a decision).
  function refreshFigures() {
    if (!window.DOMParser) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        ["key-figures", "run-after"].forEach(function (id) {
          var here = document.getElementById(id), fresh = page.getElementById(id);
          if (here && fresh) here.innerHTML = fresh.innerHTML;
        });
      })
      .catch(function () {});
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.status === "done" || d.status === "failed") { if (clock) clock.textContent = ""; }
        if (d.status === "done") { state.textContent = fill(words.done, d); done.hidden = false; refreshFigures(); return; }
        if (d.status === "failed") { state.textContent = fill(words.failed, d); return; }
        // The live region changes only with the stage, so a screen reader is not told every second.
        var said = d.step && words[d.phase] ? fill(words.step, { step: d.step, steps: d.steps, what: words[d.phase] }) : words.queued;
        if (state.textContent !== said) state.textContent = said;
        if (clock) clock.textContent = d.step && d.limit_seconds ? fill(words.time, d) : "";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
