// Small enhancements only; the pages work without this file.
(function () {
  "use strict";
  // <button data-fill="#field" data-from="#source">: puts the source's text in the field.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fill]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-fill"));
    var source = document.querySelector(button.getAttribute("data-from"));
    if (field && source) field.value = source.textContent;
  });
})();
