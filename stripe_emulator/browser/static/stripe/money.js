// ---------------------------------------------------------------------------------------
// Money, for the 3DS dialog and the hosted pages. Intl knows each currency's exponent.
// ---------------------------------------------------------------------------------------
var ZERO_DECIMAL = 'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' ');
var THREE_DECIMAL = 'bhd jod kwd omr tnd'.split(' ');

export function formatMoney(amount, currency, locale) {
  var cur = String(currency || 'usd').toLowerCase();
  var exponent = ZERO_DECIMAL.indexOf(cur) >= 0 ? 0 : THREE_DECIMAL.indexOf(cur) >= 0 ? 3 : 2;
  var value = amount / Math.pow(10, exponent);
  var l = locale && locale !== 'auto' ? locale : navigator.language || 'en';
  try {
    return new Intl.NumberFormat(l, {
      style: 'currency',
      currency: cur.toUpperCase(),
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(value);
  } catch (_) {
    return value.toFixed(exponent) + ' ' + cur.toUpperCase();
  }
}
