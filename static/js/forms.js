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
  //    reload or a dropped connection loses nothing. sessionStorage, not localStorage: family
  //    data must not outlive the tab on a shared or lost phone.
  var PENDING = "welzijn-draft-pending";
  var store;
  try { store = window.sessionStorage; } catch (e) { return; }
  if (!store) { return; }

  // Logging out forgets every draft in this tab: the next person on this phone sees none.
  document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
    form.addEventListener("submit", function () {
      Object.keys(store).forEach(function (name) {
        if (name.indexOf("welzijn-draft") === 0) { store.removeItem(name); }
      });
    });
  });

  var draftForm = document.querySelector("form[data-draft]");
  var pending = store.getItem(PENDING);
  if (pending && (!draftForm || draftForm.dataset.draft !== pending)) {
    // We left the form page after submitting it: the server took it. Forget the draft.
    store.removeItem("welzijn-draft:" + pending);
    store.removeItem(PENDING);
  }
  if (!draftForm) { return; }

  var key = "welzijn-draft:" + draftForm.dataset.draft;
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

  var saved = store.getItem(key);
  // A form the server sent back with errors already holds what was typed: keep the server's.
  if (saved && !draftForm.hasAttribute("data-bound")) {
    try {
      restore(JSON.parse(saved));
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
  store.removeItem(PENDING);
  draftForm.addEventListener("input", save);
  draftForm.addEventListener("change", save);
  draftForm.addEventListener("submit", function () {
    save();
    store.setItem(PENDING, draftForm.dataset.draft);
  });
})();
