import { COUNTRIES, LABELS, POSTAL_COUNTRIES, lang } from './messages.js';
import { el } from './dom.js';
import { Element, freeSuffix } from './element.js';

var CARD_ICON =
  '<svg viewBox="0 0 24 24" fill="none" aria-hidden="true"><rect x="2" y="5" width="20" ' +
  'height="14" rx="2" stroke="currentColor" stroke-width="2"/><path d="M2 10h20" ' +
  'stroke="currentColor" stroke-width="2"/></svg>';

// Which address fields the integration collects (fields.billingDetails.address) and the
// prefilled address (defaultValues.billingDetails.address).
function addressOptions(options) {
  var address = ((options.fields || {}).billingDetails || {}).address;
  return {
    collectCountry: !(address === 'never' || (address && address.country === 'never')),
    collectPostal: !(address === 'never' || (address && address.postalCode === 'never')),
    defaults: ((options.defaultValues || {}).billingDetails || {}).address || {},
  };
}

// A labelled field with its error line; ids end in `sfx` so two elements on a page differ.
function field(sfx, name, label, input, full) {
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

function textInput(name, attrs) {
  return el('input', Object.assign({ name: name, type: 'text', 'aria-invalid': 'false' }, attrs));
}

function cardFields(sfx, L) {
  var numeric = { inputmode: 'numeric' };
  var number = field(sfx, 'number', L.number, textInput('number', Object.assign({
    autocomplete: 'cc-number', placeholder: '1234 1234 1234 1234', spellcheck: 'false',
  }, numeric)), true);
  var expiry = field(sfx, 'expiry', L.expiry, textInput('expiry', Object.assign({
    autocomplete: 'cc-exp', placeholder: L.expiryPlaceholder,
  }, numeric)));
  var cvc = field(sfx, 'cvc', L.cvc, textInput('cvc', Object.assign({
    autocomplete: 'cc-csc', placeholder: L.cvcShort, maxlength: '4',
  }, numeric)));
  return { number: number, expiry: expiry, cvc: cvc };
}

function addressFields(sfx, L, ru, address) {
  var select = el('select', { name: 'country', autocomplete: 'billing country' });
  COUNTRIES.forEach(function (c) {
    select.appendChild(el('option', { value: c[0], text: ru ? c[2] : c[1] }));
  });
  select.value = address.defaults.country || 'US';
  var country = field(sfx, 'country', L.country, select);
  var postal = field(sfx, 'postalCode', L.postal, textInput('postalCode', {
    autocomplete: 'billing postal-code', placeholder: '12345', maxlength: '10',
  }));
  if (address.defaults.postal_code) postal.input.value = address.defaults.postal_code;
  if (!address.collectCountry) country.wrap.classList.add('__emu-hidden');
  if (!address.collectPostal) postal.wrap.classList.add('__emu-hidden');
  return { country: country, postal: postal };
}

// The card brand detected so far sits inside the number box, as in the real element.
function addBrandSlot(number) {
  var brand = el('span', { className: '__emu-brand', 'aria-hidden': 'true' });
  var inputWrap = el('span', { className: '__emu-inputwrap' });
  number.wrap.insertBefore(inputWrap, number.input);
  inputWrap.appendChild(number.input);
  inputWrap.appendChild(brand);
  return brand;
}

function cardTab(L) {
  var tab = el('div', { className: '__emu-tab', 'aria-hidden': 'true' });
  tab.innerHTML = CARD_ICON;
  tab.appendChild(document.createTextNode(L.card));
  return tab;
}

Element.prototype._renderPayment = function () {
  var L = LABELS[lang(this._locale())];
  var sfx = freeSuffix('Field-numberInput');
  var address = addressOptions(this._options);
  this._collect = { country: address.collectCountry, postal: address.collectPostal };
  var card = cardFields(sfx, L);
  this._brandNode = addBrandSlot(card.number);
  var where = addressFields(sfx, L, lang(this._locale()) === 'ru', address);
  var postal = where.postal;
  this._postalLabel = postal.wrap.querySelector('label');
  this._inputs = {
    number: card.number.input,
    expiry: card.expiry.input,
    cvc: card.cvc.input,
    country: where.country.input,
    postal: postal.input,
  };
  this._errorNodes = {
    number: card.number.error,
    expiry: card.expiry.error,
    cvc: card.cvc.error,
    postal: postal.error,
  };
  this._postalWrap = postal.wrap;
  this._root.classList.add('__emu-payment');
  this._root.appendChild(el('div', { className: '__emu-badge', text: L.badge }));
  this._root.appendChild(cardTab(L));
  var fields = [card.number, card.expiry, card.cvc, where.country, postal];
  this._root.appendChild(
    el('div', { className: '__emu-grid' }, fields.map(function (f) { return f.wrap; }))
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
