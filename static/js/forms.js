// Progressive enhancement for forms. Every form works without this file.
(function () {
  "use strict";

  // 1. One submit per tap: a second tap while the first is on its way does nothing.
  //    (The server also refuses duplicates; this just spares a slow phone the round trip.)
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitting) {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      form.querySelectorAll("button[data-once]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  });

  // A page restored from the back-forward cache keeps its JavaScript state: unlock its forms.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("button[aria-disabled]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
      });
    });
  });

  // 2. Drafts: forms with data-draft keep what is typed in this tab's sessionStorage, so a
  //    reload, a dropped connection or a session that ran out loses nothing.
  //    - A draft belongs to one user: its key holds the page's draft owner (a keyed hash of the
  //      user id that the server puts in <meta name="welzijn-draft-owner">, the same after
  //      logging in again) and the form's path. Another user of this browser never sees it.
  //    - It is forgotten only when the server says it saved that form: the page after the
  //      save lists the form's path in <meta name="welzijn-saved">. The login page (no owner)
  //      and a form sent back with errors forget nothing.
  //    - Logging out on purpose forgets every draft in this tab (data-clear-drafts).
  //    sessionStorage, not localStorage: family data must not outlive the tab on a shared or
  //    lost phone. It survives the login round trip, which happens in the same tab.
  var PREFIX = "welzijn-draft:";
  var store;
  try { store = window.sessionStorage; } catch (e) { return; }
  if (!store) { return; }

  function meta(name) {
    return Array.prototype.map.call(
      document.querySelectorAll('meta[name="' + name + '"]'),
      function (el) { return el.getAttribute("content") || ""; }
    );
  }

  // Logging out forgets every draft in this tab: the next person on this phone sees none.
  document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
    form.addEventListener("submit", function () {
      Object.keys(store).forEach(function (name) {
        if (name.indexOf("welzijn-draft") === 0) { store.removeItem(name); }
      });
    });
  });

  var owner = meta("welzijn-draft-owner")[0] || "";
  var saved = meta("welzijn-saved");
  if (!owner) { return; }  // not logged in (the login page): keep every draft as it is

  // The server confirmed these forms: forget their drafts.
  saved.forEach(function (path) { store.removeItem(PREFIX + owner + ":" + path); });

  var draftForm = document.querySelector("form[data-draft]");
  if (!draftForm) { return; }
  var path = new URL(draftForm.getAttribute("action") || window.location.pathname, window.location.href).pathname;
  var key = PREFIX + owner + ":" + path;
  var skip = { csrfmiddlewaretoken: true };

  function save() {
    var data = [];
    new FormData(draftForm).forEach(function (value, name) {
      if (!skip[name] && typeof value === "string") { data.push([name, value]); }
    });
    store.setItem(key, JSON.stringify(data));
  }

  function restore(data) {
    var byName = {};
    data.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(draftForm.elements, function (el) {
      if (!el.name || skip[el.name] || !(el.name in byName)) {
        if (el.type === "checkbox" && el.name && !skip[el.name]) { el.checked = false; }
        return;
      }
      var values = byName[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.type !== "file") {
        el.value = values[0];
      }
    });
  }

  var draft = store.getItem(key);
  // A form the server sent back with errors already holds what was typed: keep the server's.
  if (draft && !draftForm.hasAttribute("data-bound")) {
    try {
      restore(JSON.parse(draft));
      var notice = document.querySelector("[data-draft-notice]");
      if (notice) {
        notice.hidden = false;
        var discard = notice.querySelector("[data-draft-discard]");
        if (discard) {
          discard.addEventListener("click", function () {
            store.removeItem(key);
            window.location.reload();
          });
        }
      }
    } catch (e) { store.removeItem(key); }
  }
  draftForm.addEventListener("input", save);
  draftForm.addEventListener("change", save);
  draftForm.addEventListener("submit", save);
})();
