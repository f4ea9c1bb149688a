import { COUNTRIES, LABELS, POSTAL_COUNTRIES, lang } from './messages.js';
import { el } from './dom.js';
import { Element, freeSuffix } from './element.js';

var CARD_ICON =
  '<svg viewBox="0 0 24 24" fill="none" aria-hidden="true"><rect x="2" y="5" width="20" ' +
  'height="14" rx="2" stroke="currentColor" stroke-width="2"/><path d="M2 10h20" ' +
  'stroke="currentColor" stroke-width="2"/></svg>';

Element.prototype._renderPayment = function () {
  var L = LABELS[lang(this._locale())];
  var sfx = freeSuffix('Field-numberInput');
  var o = this._options;
  var address = ((o.fields || {}).billingDetails || {}).address;
  var collectCountry = !(address === 'never' || (address && address.country === 'never'));
  var collectPostal = !(address === 'never' || (address && address.postalCode === 'never'));
  var defaults = ((o.defaultValues || {}).billingDetails || {}).address || {};
  var country = defaults.country || 'US';
  this._collect = { country: collectCountry, postal: collectPostal };

  function field(name, label, input, full) {
    var id = 'Field-' + name + 'Input' + sfx;
    input.id = id;
    var error = el('div', {
      id: 'Field-' + name + 'Error' + sfx,
      className: '__emu-error',
      'aria-live': 'polite',
    });
    input.setAttribute('aria-describedby', error.id);
    var wrap = el('div', { className: '__emu-field' + (full ? ' __emu-full' : '') }, [
      el('label', { for: id, text: label }),
      input,
      error,
    ]);
    return { wrap: wrap, input: input, error: error };
  }

  var number = field(
    'number',
    L.number,
    el('input', {
      name: 'number',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'cc-number',
      placeholder: '1234 1234 1234 1234',
      'aria-invalid': 'false',
      spellcheck: 'false',
    }),
    true
  );
  // The detected brand sits inside the number box, as in the real element.
  this._brandNode = el('span', { className: '__emu-brand', 'aria-hidden': 'true' });
  var inputWrap = el('span', { className: '__emu-inputwrap' });
  number.wrap.insertBefore(inputWrap, number.input);
  inputWrap.appendChild(number.input);
  inputWrap.appendChild(this._brandNode);
  var expiry = field(
    'expiry',
    L.expiry,
    el('input', {
      name: 'expiry',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'cc-exp',
      placeholder: L.expiryPlaceholder,
      'aria-invalid': 'false',
    })
  );
  var cvc = field(
    'cvc',
    L.cvc,
    el('input', {
      name: 'cvc',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'cc-csc',
      placeholder: L.cvcShort,
      maxlength: '4',
      'aria-invalid': 'false',
    })
  );
  var select = el('select', { name: 'country', autocomplete: 'billing country' });
  var ru = lang(this._locale()) === 'ru';
  COUNTRIES.forEach(function (c) {
    select.appendChild(el('option', { value: c[0], text: ru ? c[2] : c[1] }));
  });
  select.value = country;
  var countryField = field('country', L.country, select);
  var postal = field(
    'postalCode',
    L.postal,
    el('input', {
      name: 'postalCode',
      type: 'text',
      autocomplete: 'billing postal-code',
      placeholder: '12345',
      maxlength: '10',
      'aria-invalid': 'false',
    })
  );
  if (defaults.postal_code) postal.input.value = defaults.postal_code;
  this._postalLabel = postal.wrap.querySelector('label');
  if (!collectCountry) countryField.wrap.classList.add('__emu-hidden');
  if (!collectPostal) postal.wrap.classList.add('__emu-hidden');

  this._inputs = {
    number: number.input,
    expiry: expiry.input,
    cvc: cvc.input,
    country: select,
    postal: postal.input,
  };
  this._errorNodes = {
    number: number.error,
    expiry: expiry.error,
    cvc: cvc.error,
    postal: postal.error,
  };
  this._postalWrap = postal.wrap;
  var tab = el('div', { className: '__emu-tab', 'aria-hidden': 'true' });
  tab.innerHTML = CARD_ICON;
  tab.appendChild(document.createTextNode(L.card));
  this._root.classList.add('__emu-payment');
  this._root.appendChild(el('div', { className: '__emu-badge', text: L.badge }));
  this._root.appendChild(tab);
  this._root.appendChild(
    el('div', { className: '__emu-grid' }, [
      number.wrap,
      expiry.wrap,
      cvc.wrap,
      countryField.wrap,
      postal.wrap,
    ])
  );
  this._syncPostal();
};

// The postal code field follows the selected country, as in the real Payment Element.
Element.prototype._syncPostal = function () {
  if (this._type !== 'payment' || !this._collect.postal) return;
  var country = this._inputs.country.value;
  var needed = !!POSTAL_COUNTRIES[country];
  var L = LABELS[lang(this._locale())];
  this._postalWrap.classList.toggle('__emu-hidden', !needed);
  this._postalLabel.textContent = country === 'US' ? L.postal : L.postalOther;
  this._inputs.postal.placeholder = country === 'US' ? '12345' : country === 'GB' ? 'WS11 1DB' : 'M5T 1T4';
  this._inputs.postal.inputMode = country === 'US' ? 'numeric' : 'text';
};
