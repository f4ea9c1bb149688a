/*
 * The Link Authentication Element: one email field (Link sign-in itself is not emulated).
 *
 * As in Stripe.js, the email it holds is sent with stripe.confirmPayment() of the same
 * Elements group as payment_method_data[billing_details][email], so it lands on the
 * PaymentMethod's and the Charge's billing_details. It does not set the PaymentIntent's
 * receipt_email: Stripe.js leaves that to confirmParams.receipt_email [?].
 */

import { lang } from './messages.js';
import { applyAppearance, el, injectStyles } from './dom.js';
import { Emitter } from './emitter.js';
import { mountTarget } from './element.js';
import { Elements } from './elements-group.js';

var LINK_LABELS = {
  en: { email: 'Email', invalid: 'Your email address is invalid.' },
  ru: { email: 'Электронная почта', invalid: 'Адрес электронной почты указан неверно.' },
};
var EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function LinkAuthenticationElement(group, options) {
  Emitter.call(this);
  this._group = group;
  this._options = Object.assign({}, options || {});
  this._node = null;
  this._root = null;
  this._input = null;
  this._destroyed = false;
}
LinkAuthenticationElement.prototype = Object.create(Emitter.prototype);

LinkAuthenticationElement.prototype.mount = function (target, mountOptions) {
  var node = mountTarget(this, target);
  injectStyles();
  var L = LINK_LABELS[lang(this._group._locale())];
  var defaults = (this._options.defaultValues || (mountOptions || {}).defaultValues || {});
  this._input = el('input', {
    id: 'Field-linkAuthenticationEmailInput',
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    'aria-invalid': 'false',
  });
  this._input.value = defaults.email || '';
  this._error = el('div', { className: '__emu-error', 'aria-live': 'polite' });
  this._root = el('div', { className: '__PrivateStripeElement __emu-root' }, [
    el('div', { className: '__emu-field __emu-full' }, [
      el('label', { for: this._input.id, text: L.email }),
      this._input,
      this._error,
    ]),
  ]);
  applyAppearance(this._root, this._group._options.appearance);
  this._node = node;
  node.classList.add('StripeElement');
  node.appendChild(this._root);
  this._wireInput();
  var self = this;
  setTimeout(function () {
    if (!self._node) return;
    self._emit('ready', { elementType: 'linkAuthentication' });
    if (self._input.value) self._emit('change', self._changeEvent());
  }, 0);
  return this;
};

LinkAuthenticationElement.prototype._wireInput = function () {
  var self = this;
  this._input.addEventListener('input', function () {
    self._showError(false);
    self._emit('change', self._changeEvent());
  });
  this._input.addEventListener('blur', function () {
    self._showError(!self._valid());
    self._emit('blur', { elementType: 'linkAuthentication' });
  });
  this._input.addEventListener('focus', function () {
    self._emit('focus', { elementType: 'linkAuthentication' });
  });
};

LinkAuthenticationElement.prototype._email = function () {
  return this._input ? this._input.value.trim() : '';
};

LinkAuthenticationElement.prototype._valid = function () {
  var email = this._email();
  return !email || EMAIL_PATTERN.test(email);
};

LinkAuthenticationElement.prototype._changeEvent = function () {
  var email = this._email();
  return {
    elementType: 'linkAuthentication',
    empty: !email,
    complete: EMAIL_PATTERN.test(email),
    value: { email: email },
  };
};

LinkAuthenticationElement.prototype._showError = function (shown) {
  var L = LINK_LABELS[lang(this._group._locale())];
  this._error.textContent = shown ? L.invalid : '';
  this._input.setAttribute('aria-invalid', shown ? 'true' : 'false');
};

/* Checked with the Payment Element on confirm: a malformed email stops the payment. */
LinkAuthenticationElement.prototype._validate = function () {
  if (!this._node || this._valid()) return null;
  this._showError(true);
  var L = LINK_LABELS[lang(this._group._locale())];
  return { type: 'validation_error', code: 'email_invalid', message: L.invalid };
};

LinkAuthenticationElement.prototype.update = function () {
  return this;
};

LinkAuthenticationElement.prototype.unmount = function () {
  if (!this._node) return this;
  this._root.remove();
  this._node.classList.remove('StripeElement');
  this._node = null;
  this._root = null;
  return this;
};

LinkAuthenticationElement.prototype.destroy = function () {
  this.unmount();
  this._destroyed = true;
  delete this._group._elements.linkAuthentication;
};

LinkAuthenticationElement.prototype.focus = function () {
  if (this._input) this._input.focus();
  return this;
};

LinkAuthenticationElement.prototype.blur = function () {
  if (this._input) this._input.blur();
  return this;
};

LinkAuthenticationElement.prototype.clear = function () {
  if (this._input) this._input.value = '';
  return this;
};

/*
 * billing_details for a confirm: the integration's own, plus the Link Authentication
 * Element's email unless the integration gave one.
 */
Elements.prototype._billingDetails = function (given) {
  var link = this._elements.linkAuthentication;
  var billing = Object.assign({}, given || {});
  if (link && link._node && link._email() && !billing.email) billing.email = link._email();
  return billing;
};

Elements.prototype._linkError = function () {
  var link = this._elements.linkAuthentication;
  return link ? link._validate() : null;
};
