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
 */
(function () {
  'use strict';

  var NOTICE = '__EMULATOR_NOTICE__';
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
      tdsAmount: 'Сумма',
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
  // Styles for elements and the 3DS dialog, injected once; every class is prefixed __emu-.
  // ---------------------------------------------------------------------------------------
  var CSS = [
    '.__emu-root{--emu-primary:#635bff;--emu-text:#30313d;--emu-muted:#6d6e78;',
    '--emu-danger:#df1b41;--emu-bg:#fff;--emu-border:#e6e6e6;--emu-radius:6px;',
    '--emu-font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;',
    'font-family:var(--emu-font);color:var(--emu-text);font-size:14px;line-height:1.4}',
    '.__emu-root *{box-sizing:border-box}',
    '.__emu-badge{display:flex;width:fit-content;align-items:center;gap:6px;margin:0 0 12px;',
    'padding:3px 8px;border-radius:4px;background:#fff4e0;color:#7a4a00;font-size:12px;',
    'font-weight:600;letter-spacing:.01em;border:1px solid #f5d9a8}',
    '.__emu-tab{display:flex;width:fit-content;align-items:center;gap:8px;padding:8px 12px;',
    'margin:0 0 12px;border:2px solid var(--emu-primary);border-radius:var(--emu-radius);',
    'font-weight:600;color:var(--emu-primary);background:var(--emu-bg)}',
    '.__emu-tab svg{width:18px;height:18px}',
    '.__emu-grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}',
    '.__emu-full{grid-column:1 / -1}',
    '.__emu-field label{display:block;margin:0 0 4px;font-size:14px;color:var(--emu-text)}',
    '.__emu-field input,.__emu-field select{width:100%;height:44px;padding:10px 12px;',
    'font:inherit;font-size:16px;color:var(--emu-text);background:var(--emu-bg);',
    'border:1px solid var(--emu-border);border-radius:var(--emu-radius);',
    'box-shadow:0 1px 1px rgba(0,0,0,.03),0 3px 6px rgba(0,0,0,.02);',
    'transition:border-color .15s,box-shadow .15s}',
    '.__emu-field input::placeholder{color:#87898f}',
    '.__emu-field input:focus,.__emu-field select:focus{outline:none;',
    'border-color:var(--emu-primary);box-shadow:0 0 0 3px rgba(99,91,255,.25)}',
    '.__emu-field input[aria-invalid=true]{border-color:var(--emu-danger);color:var(--emu-danger)}',
    '.__emu-field input[aria-invalid=true]:focus{box-shadow:0 0 0 3px rgba(223,27,65,.2)}',
    '.__emu-inputwrap{position:relative;display:block}',
    '.__emu-inputwrap input{padding-right:84px}',
    '.__emu-brand{position:absolute;right:12px;top:50%;transform:translateY(-50%);font-size:11px;font-weight:700;',
    'letter-spacing:.04em;color:var(--emu-muted);text-transform:uppercase;pointer-events:none}',
    '.__emu-error{min-height:0;margin-top:4px;color:var(--emu-danger);font-size:13px}',
    '.__emu-error:empty{display:none}',
    '.__emu-hidden{display:none!important}',
    '.__emu-loaderror{padding:12px;border-radius:var(--emu-radius);background:#fdecef;',
    'color:#8a0f28;border:1px solid #f6c3cd}',
    '.__emu-sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;',
    'overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}',
    /* Card Element: one line, like the real one. */
    '.__emu-cardrow{display:flex;align-items:center;gap:8px;min-height:24px}',
    '.__emu-cardrow input{border:0;outline:none;background:transparent;font:inherit;',
    'font-size:16px;color:var(--emu-text);padding:2px 0;min-width:0}',
    '.__emu-cardrow input:focus-visible{box-shadow:0 2px 0 var(--emu-primary)}',
    '.__emu-cardrow input[aria-invalid=true]{color:var(--emu-danger)}',
    '.__emu-cardrow [name=cardnumber]{flex:1 1 11em}',
    '.__emu-cardrow [name=exp-date]{flex:0 0 5em}',
    '.__emu-cardrow [name=cvc]{flex:0 0 3.5em}',
    '.__emu-cardrow [name=postal]{flex:0 0 5.5em}',
    '.__emu-card .__emu-badge{margin-bottom:8px}',
    '.__emu-root [disabled]{opacity:.6;cursor:not-allowed}',
    '@media (max-width:420px){.__emu-grid{grid-template-columns:1fr}',
    '.__emu-cardrow{flex-wrap:wrap}.__emu-cardrow [name=cardnumber]{flex-basis:100%}}',
    /* 3-D Secure dialog */
    'dialog.__emu-3ds{width:min(440px,calc(100vw - 32px));padding:0;border:0;border-radius:12px;',
    'box-shadow:0 20px 60px rgba(0,0,0,.35)}',
    'dialog.__emu-3ds::backdrop{background:rgba(20,20,43,.55)}',
    '.__emu-3ds-head{padding:16px 20px;background:#1a1f36;color:#fff;display:flex;',
    'justify-content:space-between;align-items:center;gap:12px}',
    '.__emu-3ds-head h2{margin:0;font-size:17px}',
    '.__emu-3ds-body{padding:20px}',
    '.__emu-3ds-body p{margin:0 0 12px}',
    '.__emu-3ds-amount{font-size:20px;font-weight:700;margin:4px 0 16px}',
    '.__emu-3ds-notice{font-size:12px;color:var(--emu-muted)}',
    '.__emu-3ds-actions{display:flex;gap:12px;justify-content:flex-end;margin-top:16px}',
    '.__emu-btn{min-height:44px;padding:10px 18px;border-radius:var(--emu-radius);font:inherit;',
    'font-weight:600;cursor:pointer;border:1px solid transparent}',
    '.__emu-btn:focus-visible{outline:3px solid rgba(99,91,255,.5);outline-offset:2px}',
    '.__emu-btn-primary{background:var(--emu-primary);color:#fff}',
    '.__emu-btn-primary:hover{background:#4f46e5}',
    '.__emu-btn-secondary{background:#fff;color:var(--emu-danger);border-color:#e3b4be}',
    '.__emu-btn-secondary:hover{background:#fdecef}',
    '.__emu-btn[disabled]{opacity:.6;cursor:progress}',
    '.__emu-3ds-status{font-size:13px;color:var(--emu-muted);margin:12px 0 0}',
    '.__emu-3ds-status:empty{display:none}',
  ].join('');

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

  // ---------------------------------------------------------------------------------------
  // 3-D Secure dialog. Resolves 'complete' | 'fail' | {error} (network failure).
  // ---------------------------------------------------------------------------------------
  function authenticate(opts) {
    injectStyles();
    var L = LABELS[lang(opts.locale)];
    return new Promise(function (resolve) {
      var status = el('p', { className: '__emu-3ds-status', role: 'status', 'aria-live': 'polite' });
      var complete = el('button', {
        type: 'button',
        id: 'test-source-authorize-3ds',
        className: '__emu-btn __emu-btn-primary',
        text: L.complete,
      });
      var fail = el('button', {
        type: 'button',
        id: 'test-source-fail-3ds',
        className: '__emu-btn __emu-btn-secondary',
        text: L.fail,
      });
      var amount =
        opts.amount != null
          ? el('p', {
              className: '__emu-3ds-amount',
              text: L.tdsAmount + ': ' + formatMoney(opts.amount, opts.currency, opts.locale),
            })
          : null;
      var dialog = el(
        'dialog',
        {
          className: '__emu-3ds __emu-root',
          role: 'dialog',
          'aria-modal': 'true',
          'aria-labelledby': '__emu-3ds-title',
          'aria-describedby': '__emu-3ds-desc',
        },
        [
          el('div', { className: '__emu-3ds-head' }, [
            el('h2', { id: '__emu-3ds-title', text: L.tdsTitle }),
            el('span', { className: '__emu-badge', text: 'TEST MODE', style: 'margin:0' }),
          ]),
          el('div', { className: '__emu-3ds-body' }, [
            el('p', { id: '__emu-3ds-desc', text: L.tdsBody }),
            amount,
            el('p', { className: '__emu-3ds-notice', text: NOTICE }),
            el('div', { className: '__emu-3ds-actions' }, [fail, complete]),
            status,
          ]),
        ]
      );
      var done = false;
      function finish(result) {
        if (done) return;
        done = true;
        if (dialog.open) dialog.close();
        dialog.remove();
        resolve(result);
      }
      function choose(outcome) {
        complete.disabled = fail.disabled = true;
        status.textContent = L.working;
        var path = '/_emulator/3ds/' + encodeURIComponent(opts.intentId) + '/' + outcome;
        var body = { client_secret: opts.clientSecret };
        if (opts.key) body.key = opts.key;
        request('POST', path, body, { key: opts.key, locale: opts.locale }).then(function (res) {
          if (res.error && res.error.type === 'api_connection_error') return finish(res);
          finish(outcome);
        });
      }
      complete.addEventListener('click', function () {
        choose('complete');
      });
      fail.addEventListener('click', function () {
        choose('fail');
      });
      // Escape closes a real challenge window too; Stripe reports that as a failed authentication.
      dialog.addEventListener('cancel', function (event) {
        event.preventDefault();
        if (!complete.disabled) choose('fail');
      });
      document.body.appendChild(dialog);
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
      complete.focus();
    });
  }

  // ---------------------------------------------------------------------------------------
  // Elements
  // ---------------------------------------------------------------------------------------
  function Emitter() {
    this._handlers = {};
  }
  Emitter.prototype.on = function (type, handler) {
    (this._handlers[type] = this._handlers[type] || []).push({ fn: handler, once: false });
    return this;
  };
  Emitter.prototype.once = function (type, handler) {
    (this._handlers[type] = this._handlers[type] || []).push({ fn: handler, once: true });
    return this;
  };
  Emitter.prototype.off = function (type, handler) {
    var list = this._handlers[type] || [];
    this._handlers[type] = handler
      ? list.filter(function (h) {
          return h.fn !== handler;
        })
      : [];
    return this;
  };
  Emitter.prototype._emit = function (type, payload) {
    var list = (this._handlers[type] || []).slice();
    this._handlers[type] = (this._handlers[type] || []).filter(function (h) {
      return !h.once;
    });
    list.forEach(function (h) {
      try {
        h.fn(payload);
      } catch (e) {
        setTimeout(function () {
          throw e;
        });
      }
    });
  };

  var cardElementCount = 0;

  function freeSuffix(baseId) {
    if (!document.getElementById(baseId)) return '';
    for (var i = 2; ; i++) if (!document.getElementById(baseId + '-' + i)) return '-' + i;
  }

  /*
   * One element ('payment' or 'card'). Fields are plain inputs; `touched` tracks which fields
   * may show their "incomplete" error (after blur or a submit), as Stripe only shows those late.
   */
  function Element(group, type, options) {
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
    if (this._destroyed) {
      throw IntegrationError('This Element has already been destroyed. Please create a new one.');
    }
    var node = typeof target === 'string' ? document.querySelector(target) : target;
    if (!node || !node.nodeType) {
      throw IntegrationError(
        'The selector you specified (' + target + ') applies to no DOM elements that are ' +
          'currently on the page.\nMake sure the element exists on the page before calling mount().'
      );
    }
    if (this._node) {
      throw IntegrationError(
        'This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.'
      );
    }
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
    this._root.appendChild(el('div', { className: '__emu-badge', text: BADGE }));
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
    this._root.appendChild(el('div', { className: '__emu-badge', text: BADGE }));
    this._root.appendChild(row);
  };

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

  // ---------------------------------------------------------------------------------------
  // Elements group
  // ---------------------------------------------------------------------------------------
  function Elements(stripe, options) {
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
    if (type !== 'payment' && type !== 'card') {
      throw IntegrationError(
        'The local Stripe emulator supports only the `payment` and `card` Elements, not `' +
          type + '`.'
      );
    }
    if (this._elements[type]) {
      throw IntegrationError('Can only create one Element of type ' + type + '.');
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

  // ---------------------------------------------------------------------------------------
  // The Stripe client
  // ---------------------------------------------------------------------------------------
  function StripeClient(key, options) {
    this._key = key;
    this._options = options || {};
    this._locale = this._options.locale || 'auto';
  }

  StripeClient.prototype._req = function (method, path, params) {
    return request(method, path, params, {
      key: this._key,
      apiVersion: this._options.apiVersion,
      locale: this._locale,
    });
  };

  StripeClient.prototype.elements = function (options) {
    return new Elements(this, options);
  };

  StripeClient.prototype.retrievePaymentIntent = function (clientSecret) {
    requireSecret('stripe.retrievePaymentIntent intent secret', clientSecret);
    var id = intentIdFromSecret(clientSecret);
    var locale = this._locale;
    return this._req('GET', '/v1/payment_intents/' + encodeURIComponent(id), {
      client_secret: clientSecret,
    }).then(function (res) {
      return res.error ? { error: localiseError(res.error, locale) } : { paymentIntent: res.data };
    });
  };

  /*
   * POSTs the confirm, runs 3-D Secure if the intent asks for it, and resolves
   * {paymentIntent} or {error} exactly like Stripe.js.
   */
  StripeClient.prototype._confirm = function (clientSecret, params, locale) {
    var self = this;
    var id = intentIdFromSecret(clientSecret);
    var body = Object.assign({ client_secret: clientSecret, key: this._key }, params, {
      use_stripe_sdk: 'true',
    });
    return this._req('POST', '/v1/payment_intents/' + encodeURIComponent(id) + '/confirm', body).then(
      function (res) {
        if (res.error) return { error: localiseError(res.error, locale) };
        return self._afterConfirm(res.data, clientSecret, locale);
      }
    );
  };

  StripeClient.prototype._afterConfirm = function (intent, clientSecret, locale) {
    var self = this;
    if (intent.status !== 'requires_action') return Promise.resolve({ paymentIntent: intent });
    return authenticate({
      intentId: intent.id,
      clientSecret: clientSecret,
      key: this._key,
      amount: intent.amount,
      currency: intent.currency,
      locale: locale,
    }).then(function (outcome) {
      if (outcome && outcome.error) return { error: outcome.error };
      return self.retrievePaymentIntent(clientSecret).then(function (res) {
        if (res.error) return res;
        var pi = res.paymentIntent;
        if (pi.status === 'requires_payment_method' || pi.status === 'requires_action') {
          return {
            error: localiseError(
              {
                type: 'invalid_request_error',
                code: 'payment_intent_authentication_failure',
                message: AUTH_FAILURE_MESSAGE,
                payment_intent: pi,
              },
              locale
            ),
          };
        }
        return { paymentIntent: pi };
      });
    });
  };

  StripeClient.prototype.confirmPayment = function (options) {
    options = options || {};
    var elements = options.elements;
    var confirmParams = options.confirmParams || {};
    var redirect = options.redirect || 'always';
    if (!elements && !options.clientSecret) {
      throw IntegrationError(
        'stripe.confirmPayment(): expected either `elements` or `clientSecret`, but got neither.'
      );
    }
    if (redirect !== 'always' && redirect !== 'if_required') {
      throw IntegrationError(
        'Invalid value for stripe.confirmPayment(): redirect should be one of the following ' +
          'strings: always, if_required. You specified: ' + redirect + '.'
      );
    }
    if (redirect === 'always' && !confirmParams.return_url) {
      throw IntegrationError(
        'stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless ' +
          'passing `redirect: \'if_required\'`'
      );
    }
    var clientSecret = options.clientSecret || (elements && elements._clientSecret);
    requireSecret('stripe.confirmPayment intent secret', clientSecret);
    var element = elements && elements._paymentElement();
    if (elements && (!element || !element._node)) {
      throw IntegrationError(
        'stripe.confirmPayment(): the Payment Element of the `elements` group is not mounted.'
      );
    }
    var locale = elements ? elements._locale() : this._locale;
    var self = this;
    return Promise.resolve().then(function () {
      if (elements && elements._options.mode && !elements._submitted) {
        throw IntegrationError('elements.submit() must be called before stripe.confirmPayment().');
      }
      var params = {
        // Stripe.js has a return URL of its own for 3-D Secure; the page is the closest match.
        return_url: confirmParams.return_url || window.location.href,
      };
      if (confirmParams.receipt_email) params.receipt_email = confirmParams.receipt_email;
      if (confirmParams.shipping) params.shipping = confirmParams.shipping;
      var pmData = confirmParams.payment_method_data || {};
      if (element) {
        var error = element._validate();
        if (error) return { error: error };
        params.payment_method_data = element._paymentMethodData(pmData.billing_details);
      } else if (confirmParams.payment_method) {
        params.payment_method = confirmParams.payment_method;
      }
      return self._confirm(clientSecret, params, locale).then(function (result) {
        if (result.error || redirect === 'if_required') return result;
        var pi = result.paymentIntent;
        window.location.assign(
          appendQuery(confirmParams.return_url, {
            payment_intent: pi.id,
            payment_intent_client_secret: clientSecret,
            redirect_status: redirectStatus(pi.status),
          })
        );
        // The page is going away; like Stripe.js, never settle.
        return new Promise(function () {});
      });
    });
  };

  StripeClient.prototype.confirmCardPayment = function (clientSecret, data, options) {
    requireSecret('stripe.confirmCardPayment intent secret', clientSecret);
    data = data || {};
    var pm = data.payment_method;
    var params = { return_url: data.return_url || window.location.href };
    var element = pm && typeof pm === 'object' ? pm.card : null;
    if (element && !(element instanceof Element)) {
      throw IntegrationError(
        'Invalid value for confirmCardPayment: payment_method.card should be a `card` Element.'
      );
    }
    var locale = element ? element._locale() : this._locale;
    if (data.receipt_email) params.receipt_email = data.receipt_email;
    if (data.shipping) params.shipping = data.shipping;
    var self = this;
    return Promise.resolve().then(function () {
      if (element) {
        if (!element._node) {
          throw IntegrationError('confirmCardPayment: the card Element is not mounted.');
        }
        var error = element._validate();
        if (error) return { error: error };
        params.payment_method_data = element._paymentMethodData(pm.billing_details);
      } else if (typeof pm === 'string') {
        params.payment_method = pm;
      }
      if (options && options.handleActions === false) {
        return self
          ._req('POST', '/v1/payment_intents/' + intentIdFromSecret(clientSecret) + '/confirm',
            Object.assign({ client_secret: clientSecret, key: self._key, use_stripe_sdk: 'true' }, params))
          .then(function (res) {
            return res.error
              ? { error: localiseError(res.error, locale) }
              : { paymentIntent: res.data };
          });
      }
      return self._confirm(clientSecret, params, locale);
    });
  };

  StripeClient.prototype.handleNextAction = function (options) {
    var clientSecret = (options || {}).clientSecret;
    requireSecret('stripe.handleNextAction clientSecret', clientSecret);
    var self = this;
    return this.retrievePaymentIntent(clientSecret).then(function (res) {
      if (res.error) return res;
      return self._afterConfirm(res.paymentIntent, clientSecret, self._locale);
    });
  };

  // Removed from Stripe.js (dahlia); failing loudly beats a silent no-op in tests.
  StripeClient.prototype.redirectToCheckout = function () {
    throw IntegrationError(
      'stripe.redirectToCheckout is no longer supported. Redirect to the Checkout Session `url` instead.'
    );
  };

  function Stripe(key, options) {
    if (typeof key !== 'string' || !key) {
      throw IntegrationError(
        'Please call Stripe() with your publishable key. You used an empty string.'
      );
    }
    if (/^(sk|rk)_/.test(key)) {
      throw IntegrationError(
        'You should not use your secret key with Stripe.js.\nPlease pass a publishable key instead.'
      );
    }
    return new StripeClient(key, options);
  }
  Stripe.version = 3;

  window.Stripe = Stripe;
  window.StripeEmulator = {
    base: BASE,
    notice: NOTICE,
    badge: BADGE,
    lang: lang,
    message: message,
    localiseError: localiseError,
    validateCard: validateCard,
    firstError: firstError,
    formatNumber: formatNumber,
    formatExpiry: formatExpiry,
    maskInput: maskInput,
    parseExpiry: parseExpiry,
    digits: digits,
    brandOf: brandOf,
    formatMoney: formatMoney,
    request: request,
    authenticate: authenticate,
    appendQuery: appendQuery,
    redirectStatus: redirectStatus,
  };
})();
