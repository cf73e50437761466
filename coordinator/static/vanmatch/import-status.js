// Follows the worker's check of an imported file, and its writing after the go-ahead
// (coordinator/views/data.py, import_status), and shows the result when the worker is done. Without this script, the link on the page does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box) { return; }
  var ask = function () {
    window.fetch(box.dataset.importStatus, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.status !== box.dataset.importWaiting) { window.location.reload(); } else { window.setTimeout(ask, 1000); }
      })
      .catch(function () { window.setTimeout(ask, 3000); });
  };
  window.setTimeout(ask, 800);
})();
