import { LABELS, lang } from './messages.js';
import { formatMoney } from './money.js';
import { request } from './http.js';
import { el, injectStyles } from './dom.js';

// ---------------------------------------------------------------------------------------
// 3-D Secure dialog. Resolves 'complete' | 'fail' | {error} (network failure).
// ---------------------------------------------------------------------------------------
function button(id, variant, text) {
  return el('button', { type: 'button', id: id, className: '__emu-btn __emu-btn-' + variant, text: text });
}

function challengeDialog(opts, L, parts) {
  var amount =
    opts.amount != null
      ? el('p', {
          className: '__emu-3ds-amount',
          text: L.tdsAmount + ': ' + formatMoney(opts.amount, opts.currency, opts.locale),
        })
      : null;
  return el(
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
        el('span', { className: '__emu-badge', text: L.testMode }),
      ]),
      el('div', { className: '__emu-3ds-body' }, [
        el('p', { id: '__emu-3ds-desc', text: L.tdsBody }),
        amount,
        el('p', { className: '__emu-3ds-notice', text: L.notice }),
        el('div', { className: '__emu-3ds-actions' }, [parts.fail, parts.complete]),
        parts.status,
      ]),
    ]
  );
}

// Wires the dialog's buttons: each outcome is posted to the emulator, then `finish` is called
// with the outcome (or with the connection error).
function wireChallenge(opts, L, parts, finish) {
  function choose(outcome) {
    parts.complete.disabled = parts.fail.disabled = true;
    parts.status.textContent = L.working;
    var path = '/_emulator/3ds/' + encodeURIComponent(opts.intentId) + '/' + outcome;
    var body = { client_secret: opts.clientSecret };
    if (opts.key) body.key = opts.key;
    request('POST', path, body, { key: opts.key, locale: opts.locale }).then(function (res) {
      if (res.error && res.error.type === 'api_connection_error') return finish(res);
      finish(outcome);
    });
  }
  parts.complete.addEventListener('click', function () {
    choose('complete');
  });
  parts.fail.addEventListener('click', function () {
    choose('fail');
  });
  // Escape closes a real challenge window too; Stripe reports that as a failed authentication.
  parts.dialog.addEventListener('cancel', function (event) {
    event.preventDefault();
    if (!parts.complete.disabled) choose('fail');
  });
}

export function authenticate(opts) {
  injectStyles();
  var L = LABELS[lang(opts.locale)];
  return new Promise(function (resolve) {
    var parts = {
      status: el('p', { className: '__emu-3ds-status', role: 'status', 'aria-live': 'polite' }),
      complete: button('test-source-authorize-3ds', 'primary', L.complete),
      fail: button('test-source-fail-3ds', 'secondary', L.fail),
    };
    var dialog = (parts.dialog = challengeDialog(opts, L, parts));
    var done = false;
    wireChallenge(opts, L, parts, function finish(result) {
      if (done) return;
      done = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(result);
    });
    document.body.appendChild(dialog);
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    parts.complete.focus();
  });
}
