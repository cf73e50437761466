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
  var labels = {
    sv: { queued: "Matchningen väntar på bakgrundsarbetaren …", reading: "Läser in personerna",
          encode: "Förbereder personernas uppgifter", pairs: "Letar upp och poängsätter de möjliga paren",
          solve: "Räknar ut den bästa helheten", explain: "Förklarar varför några blev utan förslag",
          writing: "Sparar förslagen",
          step: function (d, what) { return "Steg " + d.step + " av " + d.steps + ": " + what + " …"; },
          time: function (d) { return d.seconds + " s av högst " + d.limit_seconds + " s"; },
          done: function (d) { return "Klar: " + d.matched + " av " + d.newcomers + " nyanlända fick ett förslag."; },
          failed: function (d) { return "Matchningen misslyckades: " + d.error; } },
    en: { queued: "The run is waiting for the background worker …", reading: "Reading the people",
          encode: "Preparing the people's details", pairs: "Finding and scoring the possible pairs",
          solve: "Working out the best overall assignment", explain: "Explaining why some got no proposal",
          writing: "Saving the proposals",
          step: function (d, what) { return "Step " + d.step + " of " + d.steps + ": " + what + " …"; },
          time: function (d) { return d.seconds + " s of at most " + d.limit_seconds + " s"; },
          done: function (d) { return "Done: " + d.matched + " of " + d.newcomers + " newcomers got a proposal."; },
          failed: function (d) { return "The run failed: " + d.error; } }
  };
  var words = labels[(document.documentElement.lang || "sv").slice(0, 2)] || labels.sv;
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
        if (d.status === "done") { state.textContent = words.done(d); done.hidden = false; refreshFigures(); return; }
        if (d.status === "failed") { state.textContent = words.failed(d); return; }
        // The live region changes only with the stage, so a screen reader is not told every second.
        var said = d.step && words[d.phase] ? words.step(d, words[d.phase]) : words.queued;
        if (state.textContent !== said) state.textContent = said;
        if (clock) clock.textContent = d.step && d.limit_seconds ? words.time(d) : "";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
