import { BADGE, BASE, NOTICE } from './config.js';
import { AUTH_FAILURE_MESSAGE, IntegrationError, lang, localiseError, message } from './messages.js';
import { brandOf, digits, firstError, formatExpiry, formatNumber, maskInput, parseExpiry, validateCard } from './card.js';
import { formatMoney } from './money.js';
import { appendQuery, intentIdFromSecret, redirectStatus, request, requireSecret } from './http.js';
import { Element } from './element.js';
import { Elements } from './elements-group.js';
import { authenticate } from './threeds.js';

// ---------------------------------------------------------------------------------------
// The Stripe client
// ---------------------------------------------------------------------------------------
// The API version of the release this script was served as (/<release>/stripe.js), sent
// when the page gives no apiVersion; null for the legacy /v3/ (api_versions.py).
var RELEASE_API_VERSION = '__RELEASE_API_VERSION__';

function StripeClient(key, options) {
  this._key = key;
  this._options = options || {};
  this._locale = this._options.locale || 'auto';
}

StripeClient.prototype._req = function (method, path, params) {
  return request(method, path, params, {
    key: this._key,
    apiVersion: this._options.apiVersion || RELEASE_API_VERSION,
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

// stripe.confirmPayment()'s options, checked as Stripe.js checks them before any request.
function confirmPaymentOptions(options) {
  var elements = options.elements;
  var redirect = options.redirect || 'always';
  var confirmParams = options.confirmParams || {};
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
  return { elements, element, redirect, confirmParams, clientSecret };
}

// The confirm request's params, or {error} when the Payment Element's fields are invalid.
function confirmPaymentParams(checked) {
  var confirmParams = checked.confirmParams;
  var params = {
    // Stripe.js has a return URL of its own for 3-D Secure; the page is the closest match.
    return_url: confirmParams.return_url || window.location.href,
  };
  if (confirmParams.receipt_email) params.receipt_email = confirmParams.receipt_email;
  if (confirmParams.shipping) params.shipping = confirmParams.shipping;
  var pmData = confirmParams.payment_method_data || {};
  if (checked.element) {
    var error = checked.element._validate() || checked.elements._linkError();
    if (error) return { error: error };
    params.payment_method_data = checked.element._paymentMethodData(
      checked.elements._billingDetails(pmData.billing_details)
    );
  } else if (confirmParams.payment_method) {
    params.payment_method = confirmParams.payment_method;
  }
  return { params: params };
}

// After a confirmation with redirect 'always': off to the return URL with the intent's id,
// secret and redirect status; like Stripe.js, the promise never settles as the page goes away.
function redirectToReturnUrl(checked, paymentIntent) {
  window.location.assign(
    appendQuery(checked.confirmParams.return_url, {
      payment_intent: paymentIntent.id,
      payment_intent_client_secret: checked.clientSecret,
      redirect_status: redirectStatus(paymentIntent.status),
    })
  );
  return new Promise(function () {});
}

StripeClient.prototype.confirmPayment = function (options) {
  var checked = confirmPaymentOptions(options || {});
  var elements = checked.elements;
  var locale = elements ? elements._locale() : this._locale;
  var self = this;
  return Promise.resolve().then(function () {
    if (elements && elements._options.mode && !elements._submitted) {
      throw IntegrationError('elements.submit() must be called before stripe.confirmPayment().');
    }
    var built = confirmPaymentParams(checked);
    if (built.error) return { error: built.error };
    return self._confirm(checked.clientSecret, built.params, locale).then(function (result) {
      if (result.error || checked.redirect === 'if_required') return result;
      return redirectToReturnUrl(checked, result.paymentIntent);
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
