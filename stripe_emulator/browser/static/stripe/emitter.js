// ---------------------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------------------
export function Emitter() {
  this._handlers = {};
}
Emitter.prototype.on = function (type, handler) {
  (this._handlers[type] = this._handlers[type] || []).push({ fn: handler, once: false });
  return this;
};
Emitter.prototype.once = function (type, handler) {
  (this._handlers[type] = this._handlers[type] || []).push({ fn: handler, once: true });
  return this;
};
Emitter.prototype.off = function (type, handler) {
  var list = this._handlers[type] || [];
  this._handlers[type] = handler
    ? list.filter(function (h) {
        return h.fn !== handler;
      })
    : [];
  return this;
};
Emitter.prototype._emit = function (type, payload) {
  var list = (this._handlers[type] || []).slice();
  this._handlers[type] = (this._handlers[type] || []).filter(function (h) {
    return !h.once;
  });
  list.forEach(function (h) {
    try {
      h.fn(payload);
    } catch (e) {
      setTimeout(function () {
        throw e;
      });
    }
  });
};
