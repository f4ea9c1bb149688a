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
 * Each file here is an ES module that parses and lints alone. assets.py serves them as one
 * classic script (pages load Stripe.js with a plain <script src>): the modules in the order of
 * STRIPE_JS_MODULES, imports dropped and exports made plain declarations, in one function
 * scope. The Elements' styles are a stylesheet, ../stripe-elements.css, that dom.js links.
 *
 * This module: where the emulator lives and the test-mode notice.
 */

export var NOTICE = '__EMULATOR_NOTICE__';
// English; each Element and the 3-D Secure dialog show LABELS[lang].badge in their locale.
export var BADGE = 'TEST MODE \u2014 local Stripe emulator, no money moves';

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

export var BASE = deriveBase(scriptUrl());
