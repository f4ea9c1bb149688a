import { IntegrationError } from './messages.js';
import { applyAppearance } from './dom.js';
import { Element } from './element.js';
import { LinkAuthenticationElement } from './link.js';

// ---------------------------------------------------------------------------------------
// Elements group
// ---------------------------------------------------------------------------------------
export function Elements(stripe, options) {
  this._stripe = stripe;
  this._options = Object.assign({}, options || {});
  this._clientSecret = this._options.clientSecret || null;
  this._elements = {};
  this._submitted = false;
  this._intent = null;
}

Elements.prototype._locale = function () {
  return this._options.locale || this._stripe._locale;
};

Elements.prototype._retrieve = function () {
  var self = this;
  return this._stripe.retrievePaymentIntent(this._clientSecret).then(function (res) {
    if (res.paymentIntent) self._intent = res.paymentIntent;
    return res;
  });
};

Elements.prototype.create = function (type, options) {
  if (type !== 'payment' && type !== 'card' && type !== 'linkAuthentication') {
    throw IntegrationError(
      'The local Stripe emulator supports only the `payment`, `card` and ' +
        '`linkAuthentication` Elements, not `' + type + '`.'
    );
  }
  if (this._elements[type]) {
    throw IntegrationError('Can only create one Element of type ' + type + '.');
  }
  if (type === 'linkAuthentication') {
    this._elements[type] = new LinkAuthenticationElement(this, options); // link.js
    return this._elements[type];
  }
  if (type === 'payment' && !this._clientSecret && !this._options.mode) {
    throw IntegrationError(
      'In order to create a payment element, you must pass a valid PaymentIntent or ' +
        'SetupIntent client secret, or `mode`, when creating the Elements group.'
    );
  }
  var element = new Element(this, type, options);
  this._elements[type] = element;
  return element;
};

Elements.prototype.getElement = function (type) {
  return this._elements[type] || null;
};

Elements.prototype._paymentElement = function () {
  return this._elements.payment || null;
};

Elements.prototype.submit = function () {
  var element = this._elements.payment || this._elements.card;
  var self = this;
  return Promise.resolve().then(function () {
    if (!element || !element._node) {
      throw IntegrationError('elements.submit(): no mounted Payment Element to submit.');
    }
    var error = element._validate();
    if (error) return { error: error };
    self._submitted = true;
    return { selectedPaymentMethod: 'card' };
  });
};

Elements.prototype.fetchUpdates = function () {
  if (!this._clientSecret) return Promise.resolve({});
  return this._retrieve().then(function (res) {
    return res.error ? { error: res.error } : {};
  });
};

Elements.prototype.update = function (options) {
  var self = this;
  Object.assign(this._options, options || {});
  Object.keys(this._elements).forEach(function (k) {
    var element = self._elements[k];
    if (element._root) applyAppearance(element._root, self._options.appearance);
  });
  return Promise.resolve();
};
