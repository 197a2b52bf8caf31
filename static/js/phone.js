// Small enhancements for phones; every page works without them.
// 1. A form that came back with errors: focus moves to its error summary, and a link in the
//    summary puts the cursor in the field it names (a plain link would only scroll there).
// 2. The undo offered after "Gedaan" disappears after a few seconds.
// 4. The group's menu row scrolls sideways on a phone: the page you are on is scrolled into
//    view, so that its marked tab shows where you are.
(function () {
  "use strict";
  var UNDO_SECONDS = 8;

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) return false;
    var fold = field.closest("details");
    while (fold) {
      fold.open = true;
      fold = fold.parentElement && fold.parentElement.closest("details");
    }
    field.focus();
    var label = document.querySelector('label[for="' + id + '"]');
    (label || field).scrollIntoView({ block: "center" });
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (link && focusField(link.getAttribute("href").slice(1))) event.preventDefault();
      });
    }
    var current = document.querySelector(".group-nav [aria-current='page']");
    if (current) current.scrollIntoView({ block: "nearest", inline: "center" });
    document.querySelectorAll("[data-undo]").forEach(function (form) {
      window.setTimeout(function () {
        if (!form.contains(document.activeElement)) form.hidden = true;
      }, UNDO_SECONDS * 1000);
    });
  });
})();

// 3. A draft restored by forms.js may tick a choice folded behind "meer": show it.
window.addEventListener("load", function () {
  document.querySelectorAll(".more-choices").forEach(function (fold) {
    if (fold.querySelector("input:checked")) fold.open = true;
  });
});
