/* Wait for the kernel's widget state as long as the page waits for anything else
   (docs/decisions/0021-widget-state-wait.md). ipywidgets' front end asks the kernel for every
   widget's state in one message, and falls back to asking for each widget separately when the
   answer has not been handled within 4 s. Under a Monday-morning rush the answer is on its way
   but the browser has not got to it yet, and the fallback then doubles the work of the kernel,
   Voilà and the browser for every page. This stack's kernels always answer (ipywidgets 8), so
   that one timer is given the page's own patience; every other timer is left alone. */
(function () {
  var original = window.setTimeout;
  var WIDGET_STATE_TIMEOUT = 4000;
  var WAIT = 120000;
  window.setTimeout = function (handler, delay) {
    if (delay === WIDGET_STATE_TIMEOUT && typeof handler === "function" &&
        String(handler).indexOf("Control comm did not respond in time") !== -1) {
      arguments[1] = WAIT;
    }
    return original.apply(this, arguments);
  };
})();
