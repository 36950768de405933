/* The language switch sends its form when a language is chosen.
 * In a file, not an onchange attribute: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });
})();
