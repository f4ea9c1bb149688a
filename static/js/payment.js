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
  "use strict";

  const config = document.getElementById("payment-config");
  const button = document.getElementById("buy-button") || document.getElementById("pay-button");
  const section = document.getElementById("payment");
  const template = document.getElementById("card-form-template");
  if (!config || !button || !section || !template) return;

  const settings = config.dataset;
  // The server answers within gunicorn's 30 s timeout (a hung Stripe: about 21 s, see
  // project/settings.py); past 35 s nothing is coming, so say so instead of waiting forever.
  const TIMEOUT_MS = 35000;
  const state = { intent: null, stripe: null, elements: null, confirming: false };
  let stripeJs = null;

  const text = (key) => settings[key] || "";
  const part = (id) => document.getElementById(id);

  function csrfToken() {
    const input = config.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showMessage(message) {
    const node = part("payment-message");
    if (node) node.textContent = message || "";
  }

  function formatAmount(amount, currency) {
    try {
      const format = new Intl.NumberFormat(settings.locale, { style: "currency", currency });
      const digits = format.resolvedOptions().maximumFractionDigits;
      return format.format(amount / 10 ** digits);
    } catch (_unknownCurrency) {
      return `${amount} ${currency.toUpperCase()}`;
    }
  }

  // The form appears on the first click, so a failure to start has somewhere to be shown.
  function ensureForm() {
    if (part("payment-form")) return;
    section.appendChild(template.content.cloneNode(true));
    section.hidden = false;
    part("payment-form").addEventListener("submit", confirm);
  }

  async function requestIntent() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response;
    try {
      response = await fetch(settings.intentUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        signal: controller.signal,
      });
    } catch (_failure) {
      throw new Error(text(controller.signal.aborted ? "msgTimeout" : "msgNetwork"));
    } finally {
      clearTimeout(timer);
    }
    const body = await response.json().catch(() => {
      throw new Error(text("msgGeneric"));
    });
    if (response.status === 409 && body.order) return showPaidOrder(body.order);
    if (!response.ok) throw new Error(body.error || text("msgGeneric"));
    return body;
  }

  // The order turned out paid (or being paid), perhaps on Stripe Checkout in another tab:
  // show its page, which says so, instead of a form to pay it again. The page is leaving, so
  // the promise never settles and nothing else is shown meanwhile.
  function showPaidOrder(orderUrl) {
    window.location.assign(orderUrl);
    return new Promise(() => {});
  }

  // Every page loads Stripe.js itself (an async tag in base.html, as Stripe asks): wait for that
  // tag rather than loading the library twice. Its load may already have failed unseen, so the
  // wait is bounded; after a failure the next click adds a fresh tag.
  const STRIPE_JS_WAIT_MS = 10000;

  function loadStripeJs() {
    if (window.Stripe) return Promise.resolve();
    if (!stripeJs) {
      const pageTag = document.querySelector("script[data-stripe-js]");
      const usable = pageTag && !pageTag.dataset.failed;
      const loading = usable ? whenLoaded(pageTag, STRIPE_JS_WAIT_MS) : addTag();
      stripeJs = loading.catch((error) => {
        stripeJs = null;
        throw error;
      });
    }
    return stripeJs;
  }

  function whenLoaded(tag, waitMs) {
    return new Promise((resolve, reject) => {
      const fail = () => {
        clearTimeout(timer);
        tag.dataset.failed = "true";
        reject(new Error(text("msgStripeJs")));
      };
      const timer = setTimeout(fail, waitMs);
      tag.addEventListener("load", () => {
        clearTimeout(timer);
        resolve();
      });
      tag.addEventListener("error", fail);
    });
  }

  function addTag() {
    const script = document.createElement("script");
    script.src = settings.stripeJs;
    script.setAttribute("data-stripe-js", "");
    const loading = whenLoaded(script, STRIPE_JS_WAIT_MS);
    document.head.appendChild(script);
    return loading;
  }

  function mount(intent) {
    if (state.intent && state.intent.paymentIntent === intent.paymentIntent) {
      // Same PaymentIntent (a second click): keep what the buyer typed, refresh the amount.
      state.intent = intent;
      return state.elements.fetchUpdates();
    }
    if (state.elements) state.elements.getElement("payment").destroy();
    state.intent = intent;
    state.stripe = window.Stripe(intent.publishableKey, { locale: settings.locale });
    state.elements = state.stripe.elements({
      clientSecret: intent.clientSecret,
      locale: settings.locale,
    });
    const element = state.elements.create("payment");
    element.on("ready", showReadyForm);
    element.mount("#payment-element");
  }

  // The form can take a card: its Pay button replaces Buy (one primary button at a time).
  function showReadyForm() {
    part("payment-loading").hidden = true;
    const submit = part("submit-payment");
    submit.hidden = false;
    submit.disabled = false;
    button.hidden = true;
  }

  function setLoading(loading) {
    button.disabled = loading;
    if (loading) button.setAttribute("aria-busy", "true");
    else button.removeAttribute("aria-busy");
    if (!loading && !state.elements) part("payment-loading").hidden = true;
  }

  async function start() {
    if (button.disabled) return;
    ensureForm();
    part("payment-loading").hidden = !!state.elements;
    setLoading(true);
    showMessage("");
    try {
      const intent = await requestIntent();
      await loadStripeJs();
      await mount(intent);
      const amount = formatAmount(state.intent.amount, state.intent.currency);
      part("submit-label").textContent = text("msgPayAmount").replace("{amount}", amount);
    } catch (error) {
      showMessage(error.message || text("msgGeneric"));
    }
    setLoading(false);
  }

  // Card errors and validation errors come from Stripe.js in the page's language and are
  // meant for the buyer; failed 3-D Secure too. Anything else gets a generic message.
  function messageFor(error) {
    if (error.type === "card_error" || error.type === "validation_error") return error.message;
    if (error.code === "payment_intent_authentication_failure") return error.message;
    if (error.type === "api_connection_error") return text("msgNetwork");
    return text("msgGeneric");
  }

  async function confirmMessage() {
    try {
      const result = await state.stripe.confirmPayment({
        elements: state.elements,
        confirmParams: { return_url: settings.returnUrl },
      });
      // Success leaves the page for the return URL; only errors come back here.
      return result.error ? messageFor(result.error) : "";
    } catch (_failure) {
      return text("msgGeneric");
    }
  }

  async function confirm(event) {
    event.preventDefault();
    if (state.confirming || !state.elements) return; // one confirmation at a time
    state.confirming = true;
    const submit = part("submit-payment");
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    showMessage("");
    showMessage(await confirmMessage());
    state.confirming = false;
    submit.disabled = false;
    submit.removeAttribute("aria-busy");
  }

  button.addEventListener("click", start);
})();
