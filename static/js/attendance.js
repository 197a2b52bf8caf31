// Progressive enhancement for the attendance sheet. The sheet works without this file.
(function () {
  "use strict";

  var input = document.querySelector("[data-attendance-search]");
  var searchForm = document.querySelector("[data-attendance-search-form]");
  var families = Array.prototype.slice.call(document.querySelectorAll(".attendance-family[data-search]"));
  var empty = document.querySelector("[data-attendance-empty]");

  function plain(text) {
    // Lower case without accents, as the server's search: "celik" finds "Çelik".
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // 1. Search filters the list as you type, without a reload that would lose unsaved ticks.
  if (input && searchForm && families.length) {
    var keys = families.map(function (family) { return plain(family.dataset.search || ""); });
    var hint = document.querySelector("[data-attendance-search-hint]");
    if (hint) { hint.hidden = true; }
    var filter = function () {
      var words = plain(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      families.forEach(function (family, index) {
        var match = words.every(function (word) { return keys[index].indexOf(word) !== -1; });
        family.hidden = !match;
        if (match) { shown += 1; }
      });
      if (empty) { empty.hidden = shown !== 0; }
    };
    input.addEventListener("input", filter);
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      filter();
    });
  }

  // 2. "Hielp organiseren" and "nam het woord" mean they were there: tick "present" along with it.
  document.querySelectorAll("input[data-present]").forEach(function (helped) {
    helped.addEventListener("change", function () {
      var present = document.getElementById(helped.dataset.present);
      if (helped.checked && present) { present.checked = true; }
    });
  });
  document.querySelectorAll(".attendance-row input[name=present]").forEach(function (present) {
    present.addEventListener("change", function () {
      ["helped-", "spoke-"].forEach(function (prefix) {
        var role = document.getElementById(prefix + present.value);
        if (!present.checked && role) { role.checked = false; }
      });
    });
  });
})();
