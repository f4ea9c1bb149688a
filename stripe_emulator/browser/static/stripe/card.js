// ---------------------------------------------------------------------------------------
// Card data: brands, masks and validation (shared with the hosted Checkout page).
// ---------------------------------------------------------------------------------------
var BRANDS = [
  { brand: 'amex', re: /^3[47]/, length: 15, cvc: 4, groups: [4, 6, 5] },
  { brand: 'diners', re: /^3(0[0-5]|[689])/, length: 14, cvc: 3, groups: [4, 6, 4] },
  { brand: 'visa', re: /^4/, length: 16, cvc: 3 },
  { brand: 'mastercard', re: /^(5[1-5]|2[2-7])/, length: 16, cvc: 3 },
  { brand: 'discover', re: /^(6011|65|64[4-9])/, length: 16, cvc: 3 },
  { brand: 'jcb', re: /^35/, length: 16, cvc: 3 },
  { brand: 'unionpay', re: /^62/, length: 16, cvc: 3 },
];
var UNKNOWN_BRAND = { brand: 'unknown', length: 16, cvc: 3 };

export function digits(text) {
  return String(text || '').replace(/\D/g, '');
}

export function brandOf(number) {
  var d = digits(number);
  for (var i = 0; i < BRANDS.length; i++) if (BRANDS[i].re.test(d)) return BRANDS[i];
  return UNKNOWN_BRAND;
}

function luhn(d) {
  var sum = 0;
  for (var i = 0; i < d.length; i++) {
    var n = +d[d.length - 1 - i];
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

export function formatNumber(value) {
  var info = brandOf(value);
  var d = digits(value).slice(0, info.length);
  var groups = info.groups || [4, 4, 4, 4];
  var out = [];
  var pos = 0;
  for (var i = 0; i < groups.length && pos < d.length; i++) {
    out.push(d.slice(pos, pos + groups[i]));
    pos += groups[i];
  }
  return out.join(' ');
}

// "MM / YY"; a first digit above 1 can only be a month 02-09, as Stripe's mask assumes.
export function formatExpiry(value, deleting) {
  var d = digits(value);
  if (d.length === 1 && +d > 1) d = '0' + d;
  d = d.slice(0, 4);
  if (d.length < 2) return d;
  if (d.length === 2) return deleting ? d : d + ' / ';
  return d.slice(0, 2) + ' / ' + d.slice(2);
}

function checkNumber(value) {
  var d = digits(value);
  var info = brandOf(d);
  if (d.length < info.length) return 'incomplete_number';
  if (!luhn(d)) return 'invalid_number';
  return null;
}

export function parseExpiry(value) {
  var d = digits(value);
  if (d.length < 4) return null;
  return { month: +d.slice(0, 2), year: 2000 + +d.slice(2, 4) };
}

function checkExpiry(value) {
  var exp = parseExpiry(value);
  if (!exp) return 'incomplete_expiry';
  if (exp.month < 1 || exp.month > 12) return 'invalid_expiry_month';
  var now = new Date();
  var year = now.getFullYear();
  if (exp.year < year) return 'invalid_expiry_year_past';
  if (exp.year === year && exp.month < now.getMonth() + 1) return 'invalid_expiry_month_past';
  if (exp.year > year + 50) return 'invalid_expiry_year';
  return null;
}

function checkCvc(value, number) {
  return digits(value).length < brandOf(number).cvc ? 'incomplete_cvc' : null;
}

// US ZIPs need five digits; elsewhere (and in the Card Element, country unknown) any code.
function checkPostal(value, country) {
  var v = String(value || '').replace(/\s/g, '');
  if (country === 'US') return digits(v).length < 5 ? 'incomplete_zip' : null;
  return v.length < (country === undefined ? 1 : 3) ? 'incomplete_zip' : null;
}

/* Validates a whole card; returns {field: code} for every failing field, in display order. */
export function validateCard(card) {
  var errors = {};
  var n = checkNumber(card.number);
  if (n) errors.number = n;
  var e = checkExpiry(card.expiry);
  if (e) errors.expiry = e;
  var c = checkCvc(card.cvc, card.number);
  if (c) errors.cvc = c;
  if (card.requirePostal) {
    var p = checkPostal(card.postal, card.country);
    if (p) errors.postal = p;
  }
  return errors;
}

export function firstError(errors) {
  var order = ['number', 'expiry', 'cvc', 'postal'];
  for (var i = 0; i < order.length; i++) if (errors[order[i]]) return errors[order[i]];
  return null;
}

// Re-formats an input in place, keeping the caret after the same number of digits.
export function maskInput(input, formatter, event) {
  var before = input.value;
  var caret = input.selectionStart == null ? before.length : input.selectionStart;
  var digitsBeforeCaret = digits(before.slice(0, caret)).length;
  var deleting = !!(event && event.inputType && event.inputType.indexOf('delete') === 0);
  var after = formatter(before, deleting);
  if (after === before) return;
  input.value = after;
  if (document.activeElement !== input) return;
  var pos = after.length;
  if (caret < before.length) {
    var seen = 0;
    for (pos = 0; pos < after.length && seen < digitsBeforeCaret; pos++) {
      if (/\d/.test(after[pos])) seen++;
    }
  }
  try {
    input.setSelectionRange(pos, pos);
  } catch (_) {
    /* some input types do not support selection */
  }
}
