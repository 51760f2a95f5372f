/* Helsetilbud's accessibility bridge (docs/decisions/0016-universell-utforming.md).
   ipywidgets cannot set ARIA attributes on the controls it draws, so the widgets carry
   classes and this script turns them into ARIA, whenever the page changes:
   - .ht-live: a polite live region (role=status), read when its text changes;
   - .ht-live-debounced: read 1 s after the last change, as GOV.UK's character count does,
     so a screen reader does not talk over every keystroke;
   - .ht-field-KEY and .ht-msg-KEY: the control inside .ht-field-KEY is described by every
     .ht-msg-KEY (aria-describedby), and is aria-invalid while one of them shows an error
     (.ht-over, .ht-error or role=alert);
   - .ht-preview: the preview is a scrollable region a keyboard can reach, not a page to use;
   - a focused button that turns disabled hands the focus back to its .ht-field-KEY field. */
(function () {
  var scheduled = false;
  var serial = 0;
  function ensureId(el) {
    if (!el.id) { serial += 1; el.id = "ht-a11y-" + serial; }
    return el.id;
  }
  function keyOf(el, prefix) {
    for (var i = 0; i < el.classList.length; i++) {
      var c = el.classList[i];
      if (c.indexOf(prefix) === 0 && c.length > prefix.length) { return c.slice(prefix.length); }
    }
    return null;
  }
  function control(el) {
    if (el.matches("input, textarea, select, button")) { return el; }
    return el.querySelector("textarea, input, select, button");
  }
  function set(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }
  function mirror(el) {
    var echo = el.nextElementSibling;
    if (!echo || !echo.classList.contains("ht-sr-echo")) {
      echo = document.createElement("div");
      echo.className = "ht-sr-echo ht-sr-only";
      echo.setAttribute("role", "status");
      echo.setAttribute("aria-live", "polite");
      el.insertAdjacentElement("afterend", echo);
    }
    var text = el.textContent.trim();
    if (el.dataset.htHeard === text) { return; }
    el.dataset.htHeard = text;
    clearTimeout(el.htTimer);
    el.htTimer = setTimeout(function () { echo.textContent = text; }, 1000);
  }
  function apply() {
    scheduled = false;
    keepFocus();
    document.querySelectorAll(".ht-live").forEach(function (el) {
      set(el, "role", "status");
      set(el, "aria-live", "polite");
    });
    document.querySelectorAll(".ht-live-debounced").forEach(mirror);
    document.querySelectorAll("[class*='ht-field-']").forEach(function (field) {
      var key = keyOf(field, "ht-field-");
      var target = key && control(field);
      if (!target) { return; }
      var ids = [];
      var invalid = false;
      document.querySelectorAll(".ht-msg-" + CSS.escape(key)).forEach(function (m) {
        ids.push(ensureId(m));
        if (m.classList.contains("ht-over") || m.querySelector(".ht-error, .ht-over, [role=alert]")) {
          invalid = true;
        }
      });
      if (ids.length) { set(target, "aria-describedby", ids.join(" ")); }
      if (target.tagName !== "BUTTON") { set(target, "aria-invalid", invalid ? "true" : "false"); }
    });
    document.querySelectorAll(".ht-preview").forEach(function (el) {
      set(el, "tabindex", "0");
      set(el, "role", "region");
      set(el, "aria-label", "Forhåndsvisning: slik ser pasientene siden (bare til visning)");
    });
  }
  // A button that turns disabled while it has the focus (LAGRE after a save) would drop the
  // focus to the page; put it back on the field the button belongs to.
  var lastFocus = null;
  document.addEventListener("focusin", function (e) { lastFocus = e.target; }, true);
  function keepFocus() {
    if (document.activeElement !== document.body || !lastFocus || !lastFocus.disabled) { return; }
    var key = keyOf(lastFocus, "ht-field-");
    var fields = key ? document.querySelectorAll(".ht-field-" + CSS.escape(key)) : [];
    for (var i = 0; i < fields.length; i++) {
      var target = control(fields[i]);
      if (target && target !== lastFocus && !target.disabled) { target.focus(); return; }
    }
  }
  // At most five passes a second, so that a page with many widgets being drawn (or many pages
  // in one browser) does not pay for a pass on every frame.
  function schedule() {
    if (!scheduled) { scheduled = true; setTimeout(apply, 200); }
  }
  new MutationObserver(schedule).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["class", "disabled"]
  });
  schedule();
})();
