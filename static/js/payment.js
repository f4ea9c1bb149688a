/*
 * The on-page card form (Stripe Payment Element), for the item page's Buy button and the
 * order page's Pay button. Plain JS, no build step.
 *
 * Click → POST the page's payment-intent URL (CSRF token from the page; a 409 naming the
 * order means it is paid or being paid already, and its page is shown instead) → load Stripe.js from
 * the configured URL → Stripe(publishableKey of the order's account, {locale}) →
 * elements({clientSecret, locale}) → mount the Payment Element in #payment → on submit,
 * stripe.confirmPayment({elements, confirmParams: {return_url}}), which goes to the result
 * page on success and resolves {error} otherwise: the message is shown next to the form and
 * the buyer can try another card on the same PaymentIntent.
 */
(function () {
  'use strict';

  var config = document.getElementById('payment-config');
  var button = document.getElementById('buy-button') || document.getElementById('pay-button');
  var section = document.getElementById('payment');
  var template = document.getElementById('card-form-template');
  if (!config || !button || !section || !template) return;

  var settings = config.dataset;
  // The server answers within gunicorn's 30 s timeout (a hung Stripe: about 21 s, see
  // project/settings.py); past 35 s nothing is coming, so say so instead of waiting forever.
  var TIMEOUT_MS = 35000;
  var state = { intent: null, stripe: null, elements: null, confirming: false };
  var stripeJs = null;

  function text(key) {
    return settings[key] || '';
  }

  function csrfToken() {
    var input = config.querySelector('input[name=csrfmiddlewaretoken]');
    return input ? input.value : '';
  }

  function part(id) {
    return document.getElementById(id);
  }

  function showMessage(message) {
    var node = part('payment-message');
    if (node) node.textContent = message || '';
  }

  function formatAmount(amount, currency) {
    try {
      var format = new Intl.NumberFormat(settings.locale, { style: 'currency', currency: currency });
      var digits = format.resolvedOptions().maximumFractionDigits;
      return format.format(amount / Math.pow(10, digits));
    } catch (unknownCurrency) {
      return amount + ' ' + currency.toUpperCase();
    }
  }

  // The form appears on the first click, so a failure to start has somewhere to be shown.
  function ensureForm() {
    if (part('payment-form')) return;
    section.appendChild(template.content.cloneNode(true));
    section.hidden = false;
    part('payment-form').addEventListener('submit', confirm);
  }

  function requestIntent() {
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, TIMEOUT_MS);
    return fetch(settings.intentUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': csrfToken(), Accept: 'application/json' },
      signal: controller.signal,
    }).then(
      function (response) {
        clearTimeout(timer);
        return response.json().then(
          function (body) {
            if (response.status === 409 && body.order) return showPaidOrder(body.order);
            if (!response.ok) throw new Error(body.error || text('msgGeneric'));
            return body;
          },
          function () {
            throw new Error(text('msgGeneric'));
          }
        );
      },
      function () {
        clearTimeout(timer);
        throw new Error(text(controller.signal.aborted ? 'msgTimeout' : 'msgNetwork'));
      }
    );
  }

  // The order turned out paid (or being paid), perhaps on Stripe Checkout in another tab:
  // show its page, which says so, instead of a form to pay it again. The page is leaving, so
  // the promise never settles and nothing else is shown meanwhile.
  function showPaidOrder(orderUrl) {
    window.location.assign(orderUrl);
    return new Promise(function () {});
  }

  // Every page loads Stripe.js itself (an async tag in base.html, as Stripe asks): wait for that
  // tag rather than loading the library twice. Its load may already have failed unseen, so the
  // wait is bounded; after a failure the next click adds a fresh tag.
  var STRIPE_JS_WAIT_MS = 10000;

  function loadStripeJs() {
    if (window.Stripe) return Promise.resolve();
    if (!stripeJs) {
      var pageTag = document.querySelector('script[data-stripe-js]');
      var loading = pageTag && !pageTag.dataset.failed ? whenLoaded(pageTag, STRIPE_JS_WAIT_MS) : addTag();
      stripeJs = loading.catch(function (error) {
        stripeJs = null;
        throw error;
      });
    }
    return stripeJs;
  }

  function whenLoaded(tag, waitMs) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(fail, waitMs);
      function fail() {
        clearTimeout(timer);
        tag.dataset.failed = 'true';
        reject(new Error(text('msgStripeJs')));
      }
      tag.addEventListener('load', function () {
        clearTimeout(timer);
        resolve();
      });
      tag.addEventListener('error', fail);
    });
  }

  function addTag() {
    var script = document.createElement('script');
    script.src = settings.stripeJs;
    script.setAttribute('data-stripe-js', '');
    var loading = whenLoaded(script, STRIPE_JS_WAIT_MS);
    document.head.appendChild(script);
    return loading;
  }

  function mount(intent) {
    if (state.intent && state.intent.paymentIntent === intent.paymentIntent) {
      // Same PaymentIntent (a second click): keep what the buyer typed, refresh the amount.
      state.intent = intent;
      return state.elements.fetchUpdates();
    }
    if (state.elements) state.elements.getElement('payment').destroy();
    state.intent = intent;
    state.stripe = window.Stripe(intent.publishableKey, { locale: settings.locale });
    state.elements = state.stripe.elements({ clientSecret: intent.clientSecret, locale: settings.locale });
    var element = state.elements.create('payment');
    element.on('ready', showReadyForm);
    element.mount('#payment-element');
  }

  // The form can take a card: its Pay button replaces Buy (one primary button at a time).
  function showReadyForm() {
    part('payment-loading').hidden = true;
    var submit = part('submit-payment');
    submit.hidden = false;
    submit.disabled = false;
    button.hidden = true;
  }

  function setLoading(loading) {
    button.disabled = loading;
    if (loading) button.setAttribute('aria-busy', 'true');
    else button.removeAttribute('aria-busy');
    if (!loading && !state.elements) part('payment-loading').hidden = true;
  }

  function start() {
    if (button.disabled) return;
    ensureForm();
    part('payment-loading').hidden = !!state.elements;
    setLoading(true);
    showMessage('');
    requestIntent()
      .then(function (intent) {
        return loadStripeJs().then(function () {
          return mount(intent);
        });
      })
      .then(function () {
        var amount = formatAmount(state.intent.amount, state.intent.currency);
        part('submit-label').textContent = text('msgPayAmount').replace('{amount}', amount);
      })
      .catch(function (error) {
        showMessage(error.message || text('msgGeneric'));
      })
      .then(function () {
        setLoading(false);
      });
  }

  // Card errors and validation errors come from Stripe.js in the page's language and are
  // meant for the buyer; failed 3-D Secure too. Anything else gets a generic message.
  function messageFor(error) {
    if (error.type === 'card_error' || error.type === 'validation_error') return error.message;
    if (error.code === 'payment_intent_authentication_failure') return error.message;
    if (error.type === 'api_connection_error') return text('msgNetwork');
    return text('msgGeneric');
  }

  function confirm(event) {
    event.preventDefault();
    if (state.confirming || !state.elements) return; // one confirmation at a time
    state.confirming = true;
    var submit = part('submit-payment');
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    showMessage('');
    state.stripe
      .confirmPayment({ elements: state.elements, confirmParams: { return_url: settings.returnUrl } })
      .then(
        function (result) {
          // Success leaves the page for the return URL; only errors come back here.
          return result.error ? messageFor(result.error) : '';
        },
        function () {
          return text('msgGeneric');
        }
      )
      .then(function (message) {
        showMessage(message);
        state.confirming = false;
        submit.disabled = false;
        submit.removeAttribute('aria-busy');
      });
  }

  button.addEventListener('click', start);
})();
