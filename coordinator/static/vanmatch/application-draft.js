// Saves a step of the volunteer application on the server as she types (coordinator/views/
// volunteering.py, volunteer_apply_keep), so a break or an idle log-out loses nothing. The
// form works without this script: each step is also saved when she presses Next.
(function () {
  "use strict";
  document.querySelectorAll("form[data-keep-url]").forEach(function (form) {
    var timer = null;
    var keep = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        window.fetch(form.dataset.keepUrl, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          redirect: "manual",
          headers: { "X-Requested-With": "fetch" },
        }).catch(function () { /* offline for a moment: Next saves the step anyway */ });
      }, 600);
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
  });
})();
