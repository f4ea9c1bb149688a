import { POSTAL_COUNTRIES, message, validationError } from './messages.js';
import { brandOf, digits, firstError, formatExpiry, formatNumber, maskInput, parseExpiry, validateCard } from './card.js';
import { Element } from './element.js';

Element.prototype._wireEvents = function () {
  var self = this;
  var inputs = this._inputs;
  var formatters = { number: formatNumber, expiry: formatExpiry };
  Object.keys(inputs).forEach(function (key) {
    var input = inputs[key];
    input.addEventListener('input', function (event) {
      if (formatters[key]) maskInput(input, formatters[key], event);
      if (key === 'cvc') input.value = digits(input.value).slice(0, 4);
      self._changed(false);
    });
    input.addEventListener('change', function () {
      if (key === 'country') {
        self._syncPostal();
        self._changed(false);
      }
    });
    input.addEventListener('blur', function () {
      if (input.value) self._touched[key] = true;
      self._changed(true);
    });
  });
  this._root.addEventListener('focusin', function (event) {
    if (!self._root.contains(event.relatedTarget)) {
      self._node.classList.add('StripeElement--focus');
      self._emit('focus', { elementType: self._type });
    }
  });
  this._root.addEventListener('focusout', function (event) {
    if (!self._root.contains(event.relatedTarget)) {
      self._node && self._node.classList.remove('StripeElement--focus');
      self._emit('blur', { elementType: self._type });
    }
  });
  this._root.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') self._emit('escape', { elementType: self._type });
  });
};

Element.prototype._card = function () {
  var i = this._inputs;
  var payment = this._type === 'payment';
  var country = payment && this._collect.country ? i.country.value : undefined;
  var requirePostal = payment
    ? this._collect.postal && !!POSTAL_COUNTRIES[i.country.value]
    : !this._hidePostal;
  return {
    number: i.number.value,
    expiry: i.expiry.value,
    cvc: i.cvc.value,
    postal: i.postal.value,
    country: payment ? i.country.value : undefined,
    collectedCountry: country,
    requirePostal: requirePostal,
  };
};

Element.prototype._isEmpty = function () {
  var i = this._inputs;
  return !(i.number.value || i.expiry.value || i.cvc.value || (i.postal.value && !this._hidePostal));
};

/*
 * Which errors to display now: "invalid" ones always (a full number failing Luhn, a past
 * date), "incomplete" ones only for fields the buyer has left or after a submit.
 */
Element.prototype._visibleErrors = function () {
  var all = validateCard(this._card());
  var shown = {};
  var touched = this._touched;
  Object.keys(all).forEach(function (field) {
    if (touched[field] || all[field].indexOf('incomplete') !== 0) shown[field] = all[field];
  });
  return { all: all, shown: shown };
};

Element.prototype._renderErrors = function (shown) {
  var self = this;
  var locale = this._locale();
  ['number', 'expiry', 'cvc', 'postal'].forEach(function (field) {
    var code = shown[field];
    var input = self._inputs[field];
    if (input) input.setAttribute('aria-invalid', code ? 'true' : 'false');
    var node = self._errorNodes[field];
    if (node) node.textContent = code ? message(code, locale) : '';
  });
  if (this._brandNode) {
    var brand = brandOf(this._inputs.number.value).brand;
    this._brandNode.textContent = brand === 'unknown' ? '' : brand;
  }
};

Element.prototype._updateClasses = function () {
  if (!this._node) return;
  var errors = this._visibleErrors();
  var cl = this._node.classList;
  cl.toggle('StripeElement--empty', this._isEmpty());
  cl.toggle('StripeElement--complete', !firstError(errors.all));
  cl.toggle('StripeElement--invalid', !!firstError(errors.shown));
  this._renderErrors(errors.shown);
  return errors;
};

Element.prototype._changed = function (blurOnly) {
  var errors = this._updateClasses();
  if (blurOnly && this._type === 'payment') return;
  var empty = this._isEmpty();
  var complete = !firstError(errors.all);
  var event;
  if (this._type === 'payment') {
    event = {
      elementType: 'payment',
      empty: empty,
      complete: complete,
      collapsed: false,
      value: { type: 'card' },
    };
  } else {
    var code = firstError(errors.shown);
    event = {
      elementType: 'card',
      empty: empty,
      complete: complete,
      error: code ? validationError(code, this._locale()) : undefined,
      value: { postalCode: this._hidePostal ? '' : this._inputs.postal.value },
      brand: brandOf(this._inputs.number.value).brand,
    };
  }
  this._group._submitted = false;
  this._emit('change', event);
};

/* Marks every field touched, shows every error; returns the first as a StripeError or null. */
Element.prototype._validate = function () {
  var self = this;
  ['number', 'expiry', 'cvc', 'postal'].forEach(function (f) {
    self._touched[f] = true;
  });
  var errors = this._updateClasses();
  var code = errors && firstError(errors.all);
  return code ? validationError(code, this._locale()) : null;
};

/* payment_method_data for the confirm call. */
Element.prototype._paymentMethodData = function (extraBilling) {
  var card = this._card();
  var exp = parseExpiry(card.expiry) || { month: '', year: '' };
  var billing = JSON.parse(JSON.stringify(extraBilling || {}));
  var address = billing.address || {};
  if (card.collectedCountry) address.country = card.collectedCountry;
  if (card.requirePostal && card.postal) address.postal_code = card.postal.trim();
  if (Object.keys(address).length) billing.address = address;
  var data = {
    type: 'card',
    card: {
      number: digits(card.number),
      exp_month: exp.month,
      exp_year: exp.year,
      cvc: digits(card.cvc),
    },
  };
  if (Object.keys(billing).length) data.billing_details = billing;
  return data;
};

Element.prototype._applyDisabled = function () {
  var disabled = !!(this._options.disabled || this._options.readOnly);
  var self = this;
  Object.keys(this._inputs).forEach(function (k) {
    self._inputs[k].disabled = disabled;
  });
};

Element.prototype.update = function (options) {
  Object.assign(this._options, options || {});
  if (this._node) {
    this._applyDisabled();
    if (options && options.value && options.value.postalCode !== undefined && this._inputs.postal) {
      this._inputs.postal.value = options.value.postalCode;
    }
  }
  return this;
};

Element.prototype.unmount = function () {
  if (!this._node) return this;
  this._root.remove();
  this._node.classList.remove(
    'StripeElement',
    'StripeElement--empty',
    'StripeElement--complete',
    'StripeElement--invalid',
    'StripeElement--focus'
  );
  this._node = null;
  this._root = null;
  this._touched = {};
  return this;
};

Element.prototype.destroy = function () {
  this.unmount();
  this._destroyed = true;
  delete this._group._elements[this._type];
};

Element.prototype.focus = function () {
  if (this._inputs.number) this._inputs.number.focus();
  return this;
};

Element.prototype.blur = function () {
  var active = document.activeElement;
  if (this._root && this._root.contains(active)) active.blur();
  return this;
};

Element.prototype.clear = function () {
  var self = this;
  ['number', 'expiry', 'cvc', 'postal'].forEach(function (k) {
    if (self._inputs[k]) self._inputs[k].value = '';
  });
  this._touched = {};
  this._changed(false);
  return this;
};

Element.prototype.collapse = function () {
  return this;
};
