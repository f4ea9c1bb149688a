// "Pay with Stripe Checkout": ask the shop for a Checkout Session, then go to its hosted page.
// Stripe.js removed stripe.redirectToCheckout in 2025-09-30.clover; navigating to the session's
// url is what replaces it, so this script needs no Stripe.js at all.
(function () {
  "use strict";

  // The server answers within gunicorn's 30 s timeout (a hung Stripe: about 21 s, see
  // project/settings.py); past 35 s nothing is coming.
  const TIMEOUT_MS = 35000;

  async function goToCheckout(button) {
    const error = document.getElementById("checkout-error");
    error.hidden = true;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(button.dataset.checkoutUrl, {
        method: "GET",
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.url) {
        window.location.assign(answer.url);
        return; // the button stays disabled while the browser leaves
      }
      if (response.status === 409 && answer.order) {
        // Paid (or being paid) already, perhaps with the card form: show the order's page,
        // which says so, instead of a second payment.
        window.location.assign(answer.order);
        return;
      }
      showError(error, answer.error || button.dataset.genericError);
    } catch (_failure) {
      showError(error, button.dataset.genericError);
    } finally {
      clearTimeout(timer);
    }
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }

  function showError(element, message) {
    element.textContent = message;
    element.hidden = false;
  }

  // Delegated, so the button works wherever and whenever the page's payment script shows it.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("#checkout-button");
    if (button && !button.disabled) {
      goToCheckout(button);
    }
  });
})();
