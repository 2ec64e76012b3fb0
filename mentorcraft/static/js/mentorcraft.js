/* Mentorcraft's own script, loaded from our origin (the Content-Security-Policy allows no inline
   script). It only helps people who cannot see the whole page at once:
   - a form that comes back with errors moves focus to its error summary;
   - after an htmx update, the shared live region in base.html says what happened (the swapped
     content's data-announce, or its alert), and focus goes somewhere sensible when the control
     that had it was replaced: the same control again if it is still there, else the first field
     with an error, else the updated region itself. */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region || !text) { return; }
    // Emptied first, so saying the same thing twice is still heard the second time.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 100);
  }

  function focusable(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    // An error summary, or a result a page marks (an import's check), takes the focus.
    var summary = document.querySelector(".error-summary, [data-focus-on-load]");
    if (summary) { summary.focus(); }
  });

  // The person picker (people/widgets.py). Enter in its search box searches there and then,
  // rather than sending the form (whose default button would otherwise be pressed).
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || event.isComposing || !box.matches || !box.matches(".picker-search input[type=search]")) {
      return;
    }
    event.preventDefault();
    if (window.htmx) { window.htmx.trigger(box, "search"); }
  });

  // Elsewhere in a form that holds a picker, Enter presses the form's own first button (Save),
  // as it would without the picker: the picker's hidden default button is only for pages
  // without JavaScript, where Enter must never press a Remove button.
  var notTyped = ["button", "submit", "reset", "image", "file", "hidden"];
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.isComposing || event.defaultPrevented) { return; }
    if (!field || field.tagName !== "INPUT" || notTyped.indexOf(field.type) !== -1) { return; }
    if (field.closest(".picker")) { return; }
    var form = field.form;
    if (!form || !form.querySelector(".picker")) { return; }
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      if (!buttons[i].closest(".picker") && !buttons[i].disabled) {
        event.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(buttons[i]); } else { buttons[i].click(); }
        return;
      }
    }
  });

  // After a person is chosen, the search box is emptied (the server has cleared the results) and
  // takes the focus again, ready for the next name.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.matches || !target.matches(".picker-chosen")) { return; }
    var picker = target.closest(".picker");
    var box = picker ? picker.querySelector(".picker-search input[type=search]") : null;
    if (!box) { return; }
    box.value = "";
    box.focus();
  });

  var before = { focusedId: null, targetId: null };

  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    before.targetId = target && target.id ? target.id : null;
    before.focusedId = active && target && target.contains(active) && active.id ? active.id : "";
    before.hadFocus = Boolean(active && target && target.contains(active));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var region = before.targetId ? document.getElementById(before.targetId) : event.detail.target;
    if (!region || !document.body.contains(region)) { return; }
    var said = region.getAttribute("data-announce") || "";
    var marked = region.querySelector("[data-announce]");
    if (!said && marked) { said = marked.getAttribute("data-announce"); }
    var alert = region.querySelector("[role=alert], .error");
    if (alert) { said = alert.textContent.trim(); }
    announce(said);
    if (!before.hadFocus || region.contains(document.activeElement)) { return; }
    var again = before.focusedId ? document.getElementById(before.focusedId) : null;
    if (again && !again.matches("input, textarea, select")) { again = null; }
    if (alert) {
      var field = region.querySelector("[aria-invalid=true]") || again ||
        region.querySelector("textarea, select, input:not([type=hidden]):not([type=submit])");
      if (field) { field.focus(); return; }
    }
    if (again) { again.focus(); return; }
    focusable(region.querySelector("h1, h2, h3") || region);
  });
})();

// A count beside a button ("Publish the ticked pairs (3 ticked)") follows the boxes as they
// are ticked: <span data-ticked="proposal"> counts the ticked inputs named "proposal" that
// belong to the span's form.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox]") || !box.form) { return; }
    box.form.querySelectorAll("[data-ticked='" + box.name + "']").forEach(function (count) {
      var ticked = Array.prototype.filter.call(box.form.elements, function (el) {
        return el.name === box.name && el.checked;
      });
      count.textContent = String(ticked.length);
    });
  });
})();
