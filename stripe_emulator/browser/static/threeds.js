/*
 * Full-page 3-D Secure challenge (next_action.redirect_to_url). Needs /v3/ loaded first.
 * Each button POSTs /_emulator/3ds/{pi}/complete|fail, then returns to return_url with the
 * parameters Stripe adds (payment_intent, payment_intent_client_secret, redirect_status).
 */
(function () {
  'use strict';

  var SE = window.StripeEmulator;
  var config = JSON.parse(document.getElementById('threeds-config').textContent);
  var S = config.strings;
  var status = document.getElementById('tds-status');
  var buttons = [
    document.getElementById('test-source-authorize-3ds'),
    document.getElementById('test-source-fail-3ds'),
  ];

  function choose(outcome) {
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    status.textContent = S.working;
    var path = '/_emulator/3ds/' + encodeURIComponent(config.intentId) + '/' + outcome;
    SE.request('POST', path, { client_secret: config.clientSecret }).then(function (res) {
      if (res.error) {
        status.textContent = res.error.message;
        buttons.forEach(function (b) {
          b.disabled = false;
        });
        return;
      }
      var intent = res.data || {};
      if (config.returnUrl) {
        window.location.assign(
          SE.appendQuery(config.returnUrl, {
            payment_intent: config.intentId,
            payment_intent_client_secret: config.clientSecret,
            redirect_status: SE.redirectStatus(intent.status),
          })
        );
        return;
      }
      status.textContent = outcome === 'complete' ? S.tds_done_ok : S.tds_done_fail;
    });
  }

  buttons[0].addEventListener('click', function () {
    choose('complete');
  });
  buttons[1].addEventListener('click', function () {
    choose('fail');
  });
})();
