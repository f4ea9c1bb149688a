import { BASE } from './config.js';
import { IntegrationError, message } from './messages.js';

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
export function request(method, path, params, opts) {
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

export function intentIdFromSecret(clientSecret) {
  var s = String(clientSecret || '');
  var at = s.indexOf('_secret_');
  return at > 0 ? s.slice(0, at) : null;
}

export function requireSecret(method, clientSecret) {
  if (typeof clientSecret !== 'string' || !intentIdFromSecret(clientSecret)) {
    throw IntegrationError(
      'Invalid value for ' + method + ': clientSecret should be a client secret of the form ' +
        '${id}_secret_${secret}. You specified: ' + clientSecret + '.'
    );
  }
}

// Appends params to a URL, keeping its existing query string and fragment untouched.
export function appendQuery(url, params) {
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

export function redirectStatus(status) {
  if (status === 'succeeded' || status === 'requires_capture') return 'succeeded';
  if (status === 'processing') return 'processing';
  return 'failed';
}
