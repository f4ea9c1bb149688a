/*
 * Stripe.js stand-in served by the local Stripe emulator (test mode only, no money moves).
 *
 * It implements the slice of https://js.stripe.com/v3/ the shop uses: Stripe(), elements(),
 * the Payment Element and the Card Element, confirmPayment, confirmCardPayment,
 * retrievePaymentIntent and handleNextAction, with the same resolved values and error objects.
 *
 * Differences from the real library, on purpose:
 * - fields are real inputs in the page (no cross-origin iframe), so tests can fill them directly;
 *   ids and names copy the real ones (#Field-numberInput, input[name=cardnumber], ...);
 * - 3-D Secure is a <dialog> in the page with the test buttons #test-source-authorize-3ds and
 *   #test-source-fail-3ds;
 * - API calls go to the emulator this file was loaded from (derived from its own URL).
 *
 * window.StripeEmulator exposes the card validation, money formatting and 3-D Secure dialog to
 * the emulator's own hosted pages (Checkout, 3DS); shop code must not use it.
 *
 * The script is served as one response made of four parts in one function scope: this file
 * (messages, card validation, money, HTTP, DOM helpers), elements.js (the Elements), link.js
 * (the Link Authentication Element) and client.js (the Stripe client and its confirm flows);
 * elements.css is inlined as CSS.
 */
(function () {
  'use strict';

  var NOTICE = '__EMULATOR_NOTICE__';
  // English; each Element and the 3-D Secure dialog show LABELS[lang].badge in their locale.
  var BADGE = 'TEST MODE \u2014 local Stripe emulator, no money moves';

  // ---------------------------------------------------------------------------------------
  // Where the emulator lives: the directory this script was served from, minus the loader path.
  // ---------------------------------------------------------------------------------------
  function scriptUrl() {
    if (document.currentScript && document.currentScript.src) return document.currentScript.src;
    // Loaded in an unusual way (e.g. injected after load): look for our <script> tag.
    var tags = document.querySelectorAll('script[src]');
    for (var i = tags.length - 1; i >= 0; i--) {
      if (/\/v3\/?(\?.*)?$|\/stripe\.js(\?.*)?$/.test(tags[i].src)) return tags[i].src;
    }
    return window.location.href;
  }

  function deriveBase(src) {
    var url = new URL(src, window.location.href);
    var path = url.pathname
      .replace(/\/js\.stripe\.com\/v3\/?$/, '')
      .replace(/\/v3\/?$/, '')
      .replace(/\/[^/]+\/stripe\.js$/, '')
      .replace(/\/$/, '');
    return url.origin + path;
  }

  var BASE = deriveBase(scriptUrl());

  // ---------------------------------------------------------------------------------------
  // Messages. English wording is Stripe's (spec section 8). The Russian strings are the
  // emulator's own translation: the shop is bilingual, Stripe's exact Russian text is unverified.
  // ---------------------------------------------------------------------------------------
  var MESSAGES = {
    en: {
      incomplete_number: 'Your card number is incomplete.',
      invalid_number: 'Your card number is invalid.',
      incomplete_expiry: "Your card's expiration date is incomplete.",
      invalid_expiry_month: "Your card's expiration month is invalid.",
      invalid_expiry_month_past: "Your card's expiration date is in the past.",
      invalid_expiry_year: "Your card's expiration year is invalid.",
      invalid_expiry_year_past: "Your card's expiration year is in the past.",
      incomplete_cvc: "Your card's security code is incomplete.",
      incomplete_zip: 'Your postal code is incomplete.',
      api_connection_error: 'An error occurred with our connection to Stripe.',
    },
    ru: {
      incomplete_number: 'Номер карты указан не полностью.',
      invalid_number: 'Номер карты недействителен.',
      incomplete_expiry: 'Срок действия карты указан не полностью.',
      invalid_expiry_month: 'Месяц окончания срока действия карты недействителен.',
      invalid_expiry_month_past: 'Срок действия карты уже истёк.',
      invalid_expiry_year: 'Год окончания срока действия карты недействителен.',
      invalid_expiry_year_past: 'Год окончания срока действия карты уже прошёл.',
      incomplete_cvc: 'Код безопасности карты указан не полностью.',
      incomplete_zip: 'Почтовый индекс указан не полностью.',
      api_connection_error: 'Ошибка соединения со Stripe. Попробуйте ещё раз.',
      // Card errors come from the API in English; these replace them for locale 'ru'.
      generic_decline: 'Ваша карта отклонена.',
      card_declined: 'Ваша карта отклонена.',
      insufficient_funds: 'На карте недостаточно средств.',
      lost_card: 'Ваша карта отклонена.',
      stolen_card: 'Ваша карта отклонена.',
      expired_card: 'Срок действия вашей карты истёк.',
      incorrect_cvc: 'Код безопасности карты указан неверно.',
      processing_error: 'При обработке карты произошла ошибка. Повторите попытку чуть позже.',
      payment_intent_authentication_failure:
        'Не удалось подтвердить ваш способ оплаты. Выберите другой способ оплаты и повторите попытку.',
    },
  };

  var AUTH_FAILURE_MESSAGE =
    'We are unable to authenticate your payment method. Please choose a different payment ' +
    'method and try again.';

  var LABELS = {
    en: {
      card: 'Card',
      number: 'Card number',
      expiry: 'Expiration date',
      cvc: 'Security code',
      cvcShort: 'CVC',
      country: 'Country',
      postal: 'ZIP code',
      postalOther: 'Postal code',
      zip: 'ZIP',
      expiryPlaceholder: 'MM / YY',
      loadError: 'The payment form could not be loaded:',
      tdsTitle: 'Test authentication',
      tdsBody:
        'Your bank would now ask you to confirm this payment. This is a simulated 3-D Secure ' +
        'challenge: choose the outcome.',
      tdsAmount: 'Amount',
      badge: BADGE,
      testMode: 'TEST MODE',
      notice: NOTICE,
      complete: 'Complete',
      fail: 'Fail',
      working: 'Working\u2026',
    },
    ru: {
      card: 'Карта',
      number: 'Номер карты',
      expiry: 'Срок действия',
      cvc: 'Код безопасности',
      cvcShort: 'CVC',
      country: 'Страна',
      postal: 'Почтовый индекс (ZIP)',
      postalOther: 'Почтовый индекс',
      zip: 'Индекс',
      expiryPlaceholder: 'ММ / ГГ',
      loadError: 'Не удалось загрузить форму оплаты:',
      tdsTitle: 'Тестовая аутентификация',
      tdsBody:
        'Здесь банк попросил бы подтвердить платёж. Это имитация проверки 3-D Secure: ' +
        'выберите исход.',
      tdsAmount: 'Сумма платежа',
      badge: 'ТЕСТОВЫЙ РЕЖИМ \u2014 локальный эмулятор Stripe, деньги не списываются',
      testMode: 'ТЕСТОВЫЙ РЕЖИМ',
      notice:
        'Это локальный эмулятор Stripe, а не Stripe: с карты ничего не списывается, деньги ' +
        'никуда не переводятся. Используйте только тестовые карты.',
      complete: 'Подтвердить (Complete)',
      fail: 'Отклонить (Fail)',
      working: 'Подождите\u2026',
    },
  };

  // A short list is enough for a test form; US first because real Stripe defaults to it here.
  var COUNTRIES = [
    ['US', 'United States', 'США'],
    ['GB', 'United Kingdom', 'Великобритания'],
    ['CA', 'Canada', 'Канада'],
    ['DE', 'Germany', 'Германия'],
    ['FR', 'France', 'Франция'],
    ['NL', 'Netherlands', 'Нидерланды'],
    ['RU', 'Russia', 'Россия'],
    ['JP', 'Japan', 'Япония'],
    ['AU', 'Australia', 'Австралия'],
  ];
  // Countries whose postal code the Payment Element asks for.
  var POSTAL_COUNTRIES = { US: true, GB: true, CA: true };

  function lang(locale) {
    var l = (locale || 'auto').toLowerCase();
    if (l === 'auto') l = (navigator.language || 'en').toLowerCase();
    return l.slice(0, 2) === 'ru' ? 'ru' : 'en';
  }

  function message(code, locale) {
    var table = MESSAGES[lang(locale)];
    return table[code] || MESSAGES.en[code] || code;
  }

  function validationError(code, locale) {
    return { type: 'validation_error', code: code, message: message(code, locale) };
  }

  // Card errors from the API keep their fields; only the message is localised.
  function localiseError(error, locale) {
    if (!error || lang(locale) === 'en') return error;
    var ru = MESSAGES.ru;
    var text = (error.decline_code && ru[error.decline_code]) || (error.code && ru[error.code]);
    if (!text) return error;
    var copy = Object.assign({}, error);
    copy.message = text;
    return copy;
  }

  function IntegrationError(text) {
    var e = new Error(text);
    e.name = 'IntegrationError';
    return e;
  }

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

  function digits(text) {
    return String(text || '').replace(/\D/g, '');
  }

  function brandOf(number) {
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

  function formatNumber(value) {
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
  function formatExpiry(value, deleting) {
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

  function parseExpiry(value) {
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
  function validateCard(card) {
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

  function firstError(errors) {
    var order = ['number', 'expiry', 'cvc', 'postal'];
    for (var i = 0; i < order.length; i++) if (errors[order[i]]) return errors[order[i]];
    return null;
  }

  // Re-formats an input in place, keeping the caret after the same number of digits.
  function maskInput(input, formatter, event) {
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

  // ---------------------------------------------------------------------------------------
  // Money, for the 3DS dialog and the hosted pages. Intl knows each currency's exponent.
  // ---------------------------------------------------------------------------------------
  var ZERO_DECIMAL = 'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' ');
  var THREE_DECIMAL = 'bhd jod kwd omr tnd'.split(' ');

  function formatMoney(amount, currency, locale) {
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

  // ---------------------------------------------------------------------------------------
  // HTTP to the emulator.
  // ---------------------------------------------------------------------------------------
  // Stripe's form encoding: a[b][c]=v, arrays indexed a[0]=v, null/undefined omitted.
  function encodeForm(params) {
    var parts = [];
    (function walk(value, key) {
      if (value === undefined || value === null) return;
      if (Array.isArray(value)) {
        value.forEach(function (v, i) {
          walk(v, key + '[' + i + ']');
        });
      } else if (typeof value === 'object') {
        Object.keys(value).forEach(function (k) {
          walk(value[k], key ? key + '[' + k + ']' : k);
        });
      } else {
        parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(value)));
      }
    })(params, '');
    return parts.join('&');
  }

  function connectionError(locale) {
    return { type: 'api_connection_error', message: message('api_connection_error', locale) };
  }

  /* Resolves {data} or {error}; never rejects. `json` posts a JSON body (emulator routes only). */
  function request(method, path, params, opts) {
    opts = opts || {};
    var url = BASE + path;
    var headers = { Accept: 'application/json' };
    if (opts.key) headers.Authorization = 'Bearer ' + opts.key;
    if (opts.apiVersion) headers['Stripe-Version'] = opts.apiVersion;
    var body;
    if (method === 'GET') {
      var qs = encodeForm(params || {});
      if (qs) url += (url.indexOf('?') >= 0 ? '&' : '?') + qs;
    } else if (opts.json) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(params || {});
    } else {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = encodeForm(params || {});
    }
    return fetch(url, { method: method, headers: headers, body: body, credentials: 'omit' }).then(
      function (resp) {
        return resp.text().then(function (text) {
          var json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch (_) {
            json = null;
          }
          if (resp.ok && json) return { data: json, status: resp.status };
          var error = (json && json.error) || {
            type: 'api_error',
            message: 'Unexpected response from the emulator (HTTP ' + resp.status + ').',
          };
          return { error: error, status: resp.status };
        });
      },
      function () {
        return { error: connectionError(opts.locale) };
      }
    );
  }

  function intentIdFromSecret(clientSecret) {
    var s = String(clientSecret || '');
    var at = s.indexOf('_secret_');
    return at > 0 ? s.slice(0, at) : null;
  }

  function requireSecret(method, clientSecret) {
    if (typeof clientSecret !== 'string' || !intentIdFromSecret(clientSecret)) {
      throw IntegrationError(
        'Invalid value for ' + method + ': clientSecret should be a client secret of the form ' +
          '${id}_secret_${secret}. You specified: ' + clientSecret + '.'
      );
    }
  }

  // Appends params to a URL, keeping its existing query string and fragment untouched.
  function appendQuery(url, params) {
    var hashAt = url.indexOf('#');
    var hash = hashAt >= 0 ? url.slice(hashAt) : '';
    var head = hashAt >= 0 ? url.slice(0, hashAt) : url;
    var qs = Object.keys(params)
      .map(function (k) {
        return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
      })
      .join('&');
    var sep = head.indexOf('?') < 0 ? '?' : /[?&]$/.test(head) ? '' : '&';
    return head + sep + qs + hash;
  }

  function redirectStatus(status) {
    if (status === 'succeeded' || status === 'requires_capture') return 'succeeded';
    if (status === 'processing') return 'processing';
    return 'failed';
  }

  // ---------------------------------------------------------------------------------------
  // Styles for elements and the 3DS dialog: stripe/elements.css, inlined when served.
  // ---------------------------------------------------------------------------------------
  var CSS = '__ELEMENTS_CSS__';

  function injectStyles() {
    if (document.getElementById('__emu-style')) return;
    var style = document.createElement('style');
    style.id = '__emu-style';
    style.textContent = CSS;
    (document.head || document.documentElement).appendChild(style);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === undefined || attrs[k] === null || attrs[k] === false) return;
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function applyAppearance(root, appearance) {
    var vars = (appearance && appearance.variables) || {};
    var map = {
      colorPrimary: '--emu-primary',
      colorText: '--emu-text',
      colorDanger: '--emu-danger',
      colorBackground: '--emu-bg',
      borderRadius: '--emu-radius',
      fontFamily: '--emu-font',
    };
    Object.keys(map).forEach(function (k) {
      if (vars[k]) root.style.setProperty(map[k], vars[k]);
    });
  }
