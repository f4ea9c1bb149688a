/*
 * Hosted Checkout page of the local Stripe emulator. Needs /v3/ (window.StripeEmulator) loaded
 * first. Validates the card like Elements, pays through POST /_emulator/checkout/{cs}/pay, runs
 * the 3-D Secure dialog when asked and follows the redirect URL on success.
 */
(function () {
  'use strict';

  var SE = window.StripeEmulator;
  var config = JSON.parse(document.getElementById('checkout-config').textContent);
  var S = config.strings;
  var locale = config.locale;
  var sessionPath = '/_emulator/checkout/' + encodeURIComponent(config.sessionId);

  var form = document.getElementById('payment-form');
  var button = form.querySelector('[data-testid="hosted-payment-submit-button"]');
  var buttonLabel = button.querySelector('.submit-label');
  var paymentError = document.getElementById('payment-error');
  var fields = {
    email: document.getElementById('email'),
    number: document.getElementById('cardNumber'),
    expiry: document.getElementById('cardExpiry'),
    cvc: document.getElementById('cardCvc'),
    name: document.getElementById('billingName'),
    country: document.getElementById('billingCountry'),
    postal: document.getElementById('billingPostalCode'),
  };
  var errorNodes = {
    email: document.getElementById('email-error'),
    card: document.getElementById('card-error'),
    name: document.getElementById('name-error'),
    postal: document.getElementById('postal-error'),
  };
  var busy = false;

  // Amounts are rendered server-side as plain text; give them the locale's currency format.
  document.querySelectorAll('[data-amount]').forEach(function (node) {
    var amount = +node.dataset.amount;
    var text = SE.formatMoney(Math.abs(amount), node.dataset.currency, locale);
    node.textContent = amount < 0 ? '\u2212' + text : text;
  });

  fields.number.addEventListener('input', function (event) {
    SE.maskInput(fields.number, SE.formatNumber, event);
  });
  fields.expiry.addEventListener('input', function (event) {
    SE.maskInput(fields.expiry, SE.formatExpiry, event);
  });
  fields.cvc.addEventListener('input', function () {
    fields.cvc.value = SE.digits(fields.cvc.value).slice(0, 4);
  });
  fields.country.addEventListener('change', syncPostal);
  syncPostal();

  // Only US, GB and CA ask for a postal code, as on the real page.
  function syncPostal() {
    var needed = ['US', 'GB', 'CA'].indexOf(fields.country.value) >= 0;
    fields.postal.hidden = !needed;
    fields.postal.closest('.country-box').classList.toggle('single', !needed);
    if (!needed) setError('postal', null, [fields.postal]);
  }

  function setError(key, text, inputs) {
    errorNodes[key].textContent = text || '';
    (inputs || []).forEach(function (input) {
      input.setAttribute('aria-invalid', text ? 'true' : 'false');
    });
  }

  function validate() {
    var problems = [];
    var email = fields.email.value.trim();
    var emailError = !email ? S.email_incomplete : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? null : S.email_invalid;
    setError('email', emailError, [fields.email]);
    if (emailError) problems.push(fields.email);

    var cardErrors = SE.validateCard({
      number: fields.number.value,
      expiry: fields.expiry.value,
      cvc: fields.cvc.value,
      postal: fields.postal.value,
      country: fields.country.value,
      requirePostal: !fields.postal.hidden,
    });
    var cardCode = SE.firstError({
      number: cardErrors.number,
      expiry: cardErrors.expiry,
      cvc: cardErrors.cvc,
    });
    [['number', fields.number], ['expiry', fields.expiry], ['cvc', fields.cvc]].forEach(function (p) {
      p[1].setAttribute('aria-invalid', cardErrors[p[0]] ? 'true' : 'false');
      if (cardErrors[p[0]]) problems.push(p[1]);
    });
    errorNodes.card.textContent = cardCode ? SE.message(cardCode, locale) : '';

    var nameError = fields.name.value.trim() ? null : S.required;
    setError('name', nameError, [fields.name]);
    if (nameError) problems.push(fields.name);

    var postalError = cardErrors.postal ? SE.message(cardErrors.postal, locale) : null;
    setError('postal', postalError, [fields.postal]);
    if (postalError) problems.push(fields.postal);
    return problems;
  }

  function setBusy(on, label) {
    busy = on;
    button.disabled = on;
    button.setAttribute('aria-busy', on ? 'true' : 'false');
    button.classList.toggle('is-busy', on);
    buttonLabel.textContent = label || S.pay;
  }

  function fail(text) {
    paymentError.textContent = text || S.generic_error;
    setBusy(false);
  }

  function go(url) {
    setBusy(true, S.redirecting);
    window.location.assign(url);
  }

  function afterAuthentication() {
    return SE.request('GET', sessionPath, null, { locale: locale }).then(function (res) {
      var data = res.data || {};
      if (data.success_redirect_url) return go(data.success_redirect_url);
      fail(res.error && res.error.message);
    });
  }

  function pay() {
    var exp = SE.parseExpiry(fields.expiry.value);
    var body = {
      card: {
        number: SE.digits(fields.number.value),
        exp_month: exp.month,
        exp_year: exp.year,
        cvc: SE.digits(fields.cvc.value),
      },
      email: fields.email.value.trim(),
      name: fields.name.value.trim(),
      country: fields.country.value,
      postal_code: fields.postal.hidden ? null : fields.postal.value.trim(),
    };
    return SE.request('POST', sessionPath + '/pay', body, { json: true, locale: locale }).then(
      function (res) {
        // Paid or expired meanwhile (another tab): the reload shows the "no longer available" page.
        if (res.status === 410 || (res.error && res.error.code === 'checkout_session_not_open')) {
          return window.location.reload();
        }
        if (res.error) return fail(SE.localiseError(res.error, locale).message);
        var data = res.data;
        if (data.status === 'complete') return go(data.redirect_url);
        if (data.status !== 'requires_action') return fail();
        return SE.authenticate({
          intentId: data.payment_intent,
          clientSecret: data.client_secret,
          key: config.publishableKey,
          amount: config.amountTotal,
          currency: config.currency,
          locale: locale,
        }).then(function (outcome) {
          if (outcome && outcome.error) return fail(outcome.error.message);
          if (outcome === 'fail') {
            return fail(
              SE.localiseError({ code: 'payment_intent_authentication_failure', message: S.auth_failed }, locale)
                .message
            );
          }
          return afterAuthentication();
        });
      }
    );
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    // The button is disabled while busy, but Enter in a field can still submit the form.
    if (busy) return;
    paymentError.textContent = '';
    var problems = validate();
    if (problems.length) {
      problems[0].focus();
      return;
    }
    setBusy(true, S.processing);
    pay().catch(function () {
      fail();
    });
  });
})();
