// Small enhancements only; every page works without this file.
(function () {
  "use strict";
  // Drag a card onto a board column: submit that card's own move form with the column's stage.
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-card]");
    if (!card) return;
    event.dataTransfer.setData("text/plain", card.id);
    event.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest("[data-stage]");
    if (!column) return;
    event.preventDefault();
    column.classList.add("drop-target");
  });
  document.addEventListener("dragleave", function (event) {
    var column = event.target.closest && event.target.closest("[data-stage]");
    if (column) column.classList.remove("drop-target");
  });
  document.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest("[data-stage]");
    if (!column) return;
    event.preventDefault();
    column.classList.remove("drop-target");
    var card = document.getElementById(event.dataTransfer.getData("text/plain"));
    if (!card) return;
    var form = card.querySelector("form[data-move]");
    var select = form && form.querySelector("select[name=stage]");
    if (!select) return;
    var target = column.getAttribute("data-stage");
    var allowed = Array.prototype.some.call(select.options, function (o) { return o.value === target; });
    if (!allowed) {
      card.classList.add("shake");
      window.alert("That move is not allowed from this stage.");
      return;
    }
    select.value = target;
    if (window.htmx) { window.htmx.trigger(form, "submit"); } else { form.submit(); }
  });
  // Copy buttons: <button data-copy="#id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.value || source.textContent).then(function () {
      button.textContent = "Copied";
    });
  });
})();
