/* Drafts are never lost.
 *
 * The server keeps the draft (htmx posts the form a second after typing stops).
 * While the connection is down, the browser keeps a copy in localStorage too,
 * and puts it back into empty fields when the page is opened again. When the
 * entry is saved, the next page names the draft in data-cleared-drafts, and
 * the browser's copy is forgotten.
 */
(function () {
  "use strict";
  var PREFIX = "jobcenter-draft:";

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "submit";
    });
  }

  function snapshot(form) {
    var content = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { content[el.name] = el.value; }
      } else {
        content[el.name] = el.value;
      }
    });
    return content;
  }

  function save(form) {
    try {
      localStorage.setItem(PREFIX + form.dataset.draftKey, JSON.stringify({ savedAt: Date.now(), content: snapshot(form) }));
    } catch (e) { /* storage full or disabled: the server copy still stands */ }
  }

  function restore(form) {
    var raw = null;
    try { raw = localStorage.getItem(PREFIX + form.dataset.draftKey); } catch (e) { return; }
    if (!raw) { return; }
    var stored;
    try { stored = JSON.parse(raw); } catch (e) { return; }
    var serverSavedAt = Number(form.dataset.draftSavedAt || 0);
    var newer = stored.savedAt > serverSavedAt;
    var restored = false;
    fields(form).forEach(function (el) {
      var value = stored.content[el.name];
      if (value === undefined || value === "") { return; }
      if (el.type === "radio") {
        if (!form.querySelector("input[name='" + el.name + "']:checked") && el.value === value) { el.checked = true; restored = true; }
      } else if (el.type !== "checkbox" && (!el.value || (newer && el.value !== value))) {
        el.value = value;
        restored = true;
      }
    });
    if (restored) {
      var status = document.getElementById("draft-status");
      if (status) { status.textContent = status.dataset.restoredText || "Kladde hentet fra browseren."; }
      // Hand the restored text to the server as soon as it answers.
      form.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-cleared-drafts]").forEach(function (el) {
      el.dataset.clearedDrafts.split(" ").forEach(function (key) {
        try { localStorage.removeItem(PREFIX + key); } catch (e) { /* nothing to forget */ }
      });
    });
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      window.addEventListener("beforeunload", function () { save(form); });
    });
  });
})();
