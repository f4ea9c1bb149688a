import { LABELS, lang } from './messages.js';
import { el } from './dom.js';
import { Element } from './element.js';

var cardElementCount = 0;

Element.prototype._renderCard = function () {
  var L = LABELS[lang(this._locale())];
  var n = ++cardElementCount;
  var prefix = '__emu-card' + n + '-';
  var o = this._options;
  function input(key, name, label, attrs) {
    var id = prefix + key;
    var node = el(
      'input',
      Object.assign({ id: id, name: name, type: 'text', 'aria-invalid': 'false' }, attrs)
    );
    return [el('label', { for: id, className: '__emu-sr', text: label }), node];
  }
  var number = input('number', 'cardnumber', L.number, {
    inputmode: 'numeric',
    autocomplete: 'cc-number',
    placeholder: lang(this._locale()) === 'ru' ? 'Номер карты' : 'Card number',
  });
  var expiry = input('expiry', 'exp-date', L.expiry, {
    inputmode: 'numeric',
    autocomplete: 'cc-exp',
    placeholder: L.expiryPlaceholder,
  });
  var cvc = input('cvc', 'cvc', L.cvcShort, {
    inputmode: 'numeric',
    autocomplete: 'cc-csc',
    placeholder: 'CVC',
    maxlength: '4',
  });
  var postal = input('postal', 'postal', L.postalOther, {
    autocomplete: 'postal-code',
    placeholder: L.zip,
    maxlength: '10',
  });
  var row = el('div', { className: '__emu-cardrow' }, [].concat(number, expiry, cvc));
  this._hidePostal = !!o.hidePostalCode;
  if (!this._hidePostal) postal.forEach(row.appendChild, row);
  if (o.value && o.value.postalCode) postal[1].value = o.value.postalCode;
  this._inputs = { number: number[1], expiry: expiry[1], cvc: cvc[1], postal: postal[1] };
  this._errorNodes = {};
  this._root.classList.add('__emu-card');
  this._root.appendChild(el('div', { className: '__emu-badge', text: L.badge }));
  this._root.appendChild(row);
};
