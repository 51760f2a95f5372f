/* A click reaches the kernel after every change made before it
   (docs/decisions/0026-a-click-after-the-changes-before-it.md).
   ipywidgets sends a widget's changes one at a time: while one is on its way to the kernel,
   the next waits in the browser. A button's click is sent at once, so a date typed a moment
   before «Legg til stengning» could reach the kernel after the click, which then acted on the
   date half typed. Here a click waits while any widget has a change on its way or waiting,
   and goes as soon as there is none (at most WAIT_MS, should a kernel never answer). */
(function () {
  var WAIT_MS = 10000;
  var held = new Set();
  var queue = [];
  var timer = null;

  function flush() {
    clearTimeout(timer);
    timer = null;
    var waiting = queue;
    queue = [];
    waiting.forEach(function (send) { send(); });
  }
  function release(model) {
    held.delete(model);
    if (held.size === 0 && queue.length) { flush(); }
  }
  function track(model) {
    if (model._pending_msgs > 0 || model._msg_buffer !== null) {
      held.add(model);
    } else {
      release(model);
    }
  }
  function install(proto) {
    if (proto.__htOrdered) { return; }
    proto.__htOrdered = true;
    var sync = proto.sync;
    var status = proto._handle_status;
    var close = proto.close;
    var send = proto.send;
    proto.sync = function () {
      var result = sync.apply(this, arguments);
      track(this);
      return result;
    };
    proto._handle_status = function () {
      var result = status.apply(this, arguments);
      track(this);
      return result;
    };
    proto.close = function () {
      release(this);
      return close.apply(this, arguments);
    };
    proto.send = function () {
      var model = this;
      var args = arguments;
      if (held.size === 0) { return send.apply(model, args); }
      queue.push(function () { send.apply(model, args); });
      if (timer === null) { timer = setTimeout(flush, WAIT_MS); }
    };
  }
  function whenApp() {
    var app = window.jupyterapp;
    if (!app || !app.widgetManagerPromise) { setTimeout(whenApp, 50); return; }
    app.widgetManagerPromise.promise
      .then(function (manager) {
        return manager.loadModelClass("WidgetModel", "@jupyter-widgets/base", "2.0.0");
      })
      .then(function (WidgetModel) { install(WidgetModel.prototype); })
      .catch(function (err) { console.error("helsetilbud: widget_order", err); });
  }
  whenApp();
})();
