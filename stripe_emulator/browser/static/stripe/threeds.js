import { LABELS, lang } from './messages.js';
import { formatMoney } from './money.js';
import { request } from './http.js';
import { el, injectStyles } from './dom.js';

// ---------------------------------------------------------------------------------------
// 3-D Secure dialog. Resolves 'complete' | 'fail' | {error} (network failure).
// ---------------------------------------------------------------------------------------
export function authenticate(opts) {
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
          el('span', { className: '__emu-badge', text: L.testMode }),
        ]),
        el('div', { className: '__emu-3ds-body' }, [
          el('p', { id: '__emu-3ds-desc', text: L.tdsBody }),
          amount,
          el('p', { className: '__emu-3ds-notice', text: L.notice }),
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
