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

// Where languages are chosen: a search box that narrows the list as she types (the common
// languages stay first); without JavaScript every language is listed, the common ones first.
(function () {
  "use strict";
  document.querySelectorAll("[data-language-choice]").forEach(function (choice) {
    var box = choice.querySelector("[data-language-search]");
    var input = box.querySelector("input");
    var found = box.querySelector("[data-language-found]");
    var options = Array.prototype.slice.call(choice.querySelectorAll("[data-language-option]"));
    var fold = function (text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
    };
    box.hidden = false;
    input.addEventListener("input", function () {
      var wanted = fold(input.value);
      var shown = 0;
      options.forEach(function (option) {
        var checked = option.querySelector("input").checked;
        var named = fold(option.textContent).indexOf(wanted) !== -1;
        option.hidden = !(!wanted || checked || named); // what she has chosen stays in view
        if (wanted && named) shown += 1;
      });
      choice.querySelectorAll("[data-language-group]").forEach(function (group) {
        group.hidden = !group.querySelector("[data-language-option]:not([hidden])");
      });
      found.textContent = !wanted ? "" : shown ? box.getAttribute("data-found").replace("%s", shown)
        : box.getAttribute("data-none");
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // Enter searches; it never sends the form
    });
  });
  // A part she opened stays open when she comes Back to the page (or reloads it) in this tab.
  document.querySelectorAll("details[data-remember][id]").forEach(function (details) {
    var key = "open:" + location.pathname + "#" + details.id;
    try {
      if (sessionStorage.getItem(key) === "1") details.open = true;
      details.addEventListener("toggle", function () {
        if (details.open) sessionStorage.setItem(key, "1"); else sessionStorage.removeItem(key);
      });
    } catch (e) { /* storage refused: the part opens closed, as without this */ }
  });
})();
