// Every page: on a phone, the header's menu folds away behind a "Meny" button.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  toggle.hidden = false;
  menu.classList.add("is-closed");
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-closed", !open);
  });
})();

// Every page: when a form was refused, the error summary at its top takes the focus (so that a
// screen reader reads it and a phone shows it), the page title says "Fel:" first, and each link
// in the summary moves the focus to the field it names. Without JavaScript the summary is
// still there, first in the form, and its links still scroll to each field.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  var prefix = summary.getAttribute("data-title-prefix");
  if (prefix && document.title.indexOf(prefix) !== 0) document.title = prefix + " " + document.title;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var group = document.getElementById(link.getAttribute("href").slice(1));
    var input = group && group.querySelector("input:not([type=hidden]), select, textarea, button");
    if (!input) return;
    event.preventDefault();
    group.scrollIntoView();
    input.focus();
  });
})();
