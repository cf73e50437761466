// Follows a matching run on the programme dashboard without a reload: polls the run's status
// and updates the live region; when the run is done, shows the link to the proposals.
(function () {
  "use strict";
  var panel = document.querySelector("[data-status-url]");
  if (!panel) return;
  var url = panel.getAttribute("data-status-url");
  var state = document.getElementById("run-state");
  var done = document.getElementById("run-done");
  var labels = {
    sv: { queued: "Matchningen väntar på bakgrundsarbetaren …", reading: "Läser in personerna …",
          solving: "Räknar ut den bästa helheten …", writing: "Sparar förslagen …",
          done: function (d) { return "Klar: " + d.matched + " av " + d.newcomers + " nyanlända fick ett förslag."; },
          failed: function (d) { return "Matchningen misslyckades: " + d.error; } },
    en: { queued: "The run is waiting for the background worker …", reading: "Reading the people …",
          solving: "Working out the best overall assignment …", writing: "Saving the proposals …",
          done: function (d) { return "Done: " + d.matched + " of " + d.newcomers + " newcomers got a proposal."; },
          failed: function (d) { return "The run failed: " + d.error; } }
  };
  var words = labels[(document.documentElement.lang || "sv").slice(0, 2)] || labels.sv;
  // The key figures (waiting, proposals to review …) as the finished run left them: read from
  // the page itself, fetched again, so the numbers never need a second definition here.
  function refreshFigures() {
    var figures = document.getElementById("key-figures");
    if (!figures || !window.DOMParser) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("key-figures");
        if (fresh) figures.innerHTML = fresh.innerHTML;
      })
      .catch(function () {});
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.status === "done") { state.textContent = words.done(d); done.hidden = false; refreshFigures(); return; }
        if (d.status === "failed") { state.textContent = words.failed(d); return; }
        state.textContent = words[d.phase] || words.queued;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
