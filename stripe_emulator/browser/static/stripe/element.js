import { IntegrationError, LABELS, lang } from './messages.js';
import { applyAppearance, el, injectStyles } from './dom.js';
import { Emitter } from './emitter.js';

export function freeSuffix(baseId) {
  if (!document.getElementById(baseId)) return '';
  for (var i = 2; ; i++) if (!document.getElementById(baseId + '-' + i)) return '-' + i;
}

// The DOM node `target` names for element.mount(), with Stripe.js's errors for a destroyed
// or mounted element and for a selector that matches nothing.
export function mountTarget(element, target) {
  if (element._destroyed) {
    throw IntegrationError('This Element has already been destroyed. Please create a new one.');
  }
  var node = typeof target === 'string' ? document.querySelector(target) : target;
  if (!node || !node.nodeType) {
    throw IntegrationError(
      'The selector you specified (' + target + ') applies to no DOM elements that are ' +
        'currently on the page.\nMake sure the element exists on the page before calling mount().'
    );
  }
  if (element._node) {
    throw IntegrationError(
      'This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.'
    );
  }
  return node;
}

/*
 * One element ('payment' or 'card'). Fields are plain inputs; `touched` tracks which fields
 * may show their "incomplete" error (after blur or a submit), as Stripe only shows those late.
 */
export function Element(group, type, options) {
  Emitter.call(this);
  this._group = group;
  this._type = type;
  this._options = Object.assign({}, options || {});
  this._node = null;
  this._root = null;
  this._inputs = {};
  this._errorNodes = {};
  this._touched = {};
  this._destroyed = false;
}
Element.prototype = Object.create(Emitter.prototype);

Element.prototype._locale = function () {
  return this._group._locale();
};

Element.prototype.mount = function (target) {
  var node = mountTarget(this, target);
  injectStyles();
  this._node = node;
  node.classList.add('StripeElement');
  this._root = el('div', { className: '__PrivateStripeElement __emu-root' });
  applyAppearance(this._root, this._group._options.appearance);
  if (this._type === 'payment') this._renderPayment();
  else this._renderCard();
  node.appendChild(this._root);
  this._wireEvents();
  this._updateClasses();
  this._applyDisabled();
  var self = this;
  if (this._type === 'payment' && this._group._clientSecret) {
    // Like the real element, load the intent first: a wrong key or secret shows up here.
    this._group._retrieve().then(function (res) {
      if (res.error) self._showLoadError(res.error);
      else self._emit('ready', { elementType: self._type });
    });
  } else {
    setTimeout(function () {
      if (self._node) self._emit('ready', { elementType: self._type });
    }, 0);
  }
  return this;
};

Element.prototype._showLoadError = function (error) {
  var L = LABELS[lang(this._locale())];
  if (this._root) {
    var box = el('div', { className: '__emu-loaderror', role: 'alert' }, [
      L.loadError + ' ' + error.message,
    ]);
    this._root.insertBefore(box, this._root.children[1] || null);
  }
  this._emit('loaderror', { elementType: this._type, error: error });
};
