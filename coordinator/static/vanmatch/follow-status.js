// Follows work the worker does for a page (an imported file being checked or written, an
// export being built) and shows the result when it is done: each [data-follow] element names
// the address that says how far it has come (JSON: status, and done and total when counted)
// and, in data-follow-waiting, the statuses that mean "not yet". The page is reloaded as soon
// as one is no longer waiting. Without this script, the link on the page does the same.
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-follow]"));
  if (!boxes.length) { return; }
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "sv");
  var follow = function (box) {
    var waiting = (box.dataset.followWaiting || "").split(" ");
    var spoken = 0;
    var ask = function () {
      window.fetch(box.dataset.follow, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (waiting.indexOf(data.status) < 0) { window.location.reload(); return; }
          var bar = box.querySelector("[data-follow-progress]");
          var text = box.querySelector("[data-follow-text]");
          if (data.total && bar) { bar.max = data.total; bar.value = data.done; }
          // The sentence is in a live region: said again at most every five seconds, not at every answer.
          var due = Date.now() - spoken >= 5000;
          if (due && data.total && text && text.dataset.followText && data.status !== "queued") {
            spoken = Date.now();
            // data-follow-text is the sentence in the page's language, with {done} and {total}
            text.textContent = text.dataset.followText
              .replace("{done}", numbers.format(data.done)).replace("{total}", numbers.format(data.total));
          }
          window.setTimeout(ask, 1000);
        })
        .catch(function () { window.setTimeout(ask, 3000); });
    };
    window.setTimeout(ask, 800);
  };
  boxes.forEach(follow);
})();
