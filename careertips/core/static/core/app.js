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
  // A form posts once: a second click while the first submission is on its way does nothing
  // (two clicks would otherwise add the same opportunity twice). htmx forms queue their own
  // requests; forms opening elsewhere, or marked data-resubmit, are left alone. The guard
  // lifts after a while (a download leaves the page in place) and when the page is shown
  // again from the back-forward cache.
  var RESUBMIT_AFTER_MS = 8000;
  function release(form) {
    delete form.dataset.submitting;
    Array.prototype.forEach.call(form.querySelectorAll("[type=submit]"), function (button) {
      button.removeAttribute("aria-busy");
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
    if (form.hasAttribute("data-resubmit") || form.matches("[data-hx-post], :has([data-hx-post])")) return;
    var submitter = event.submitter;
    var target = (submitter && submitter.getAttribute("formtarget")) || form.target;
    if (target && target !== "_self") return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    if (submitter) submitter.setAttribute("aria-busy", "true");
    window.setTimeout(function () { release(form); }, RESUBMIT_AFTER_MS);
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), release);
  });
  // Print buttons: <button type="button" data-print>. (No inline onclick: the
  // Content-Security-Policy allows only this file's scripts.)
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
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
  // A form that hands data on within this site (a bookmarklet's landing): send it at once.
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-autosubmit]");
    if (form) form.submit();
  });
})();
