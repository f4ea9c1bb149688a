/*
 * Elements: the Payment Element, the Card Element and the Elements group.
 * One part of the Stripe.js stand-in: assets.py serves core.js, elements.js and client.js
 * as one script at /v3/; the function wrapper opens in core.js and closes in client.js.
 */
  // ---------------------------------------------------------------------------------------
  // Elements
  // ---------------------------------------------------------------------------------------
  function Emitter() {
    this._handlers = {};
  }
  Emitter.prototype.on = function (type, handler) {
    (this._handlers[type] = this._handlers[type] || []).push({ fn: handler, once: false });
    return this;
  };
  Emitter.prototype.once = function (type, handler) {
    (this._handlers[type] = this._handlers[type] || []).push({ fn: handler, once: true });
    return this;
  };
  Emitter.prototype.off = function (type, handler) {
    var list = this._handlers[type] || [];
    this._handlers[type] = handler
      ? list.filter(function (h) {
          return h.fn !== handler;
        })
      : [];
    return this;
  };
  Emitter.prototype._emit = function (type, payload) {
    var list = (this._handlers[type] || []).slice();
    this._handlers[type] = (this._handlers[type] || []).filter(function (h) {
      return !h.once;
    });
    list.forEach(function (h) {
      try {
        h.fn(payload);
      } catch (e) {
        setTimeout(function () {
          throw e;
        });
      }
    });
  };

  var cardElementCount = 0;

  function freeSuffix(baseId) {
    if (!document.getElementById(baseId)) return '';
    for (var i = 2; ; i++) if (!document.getElementById(baseId + '-' + i)) return '-' + i;
  }

  /*
   * One element ('payment' or 'card'). Fields are plain inputs; `touched` tracks which fields
   * may show their "incomplete" error (after blur or a submit), as Stripe only shows those late.
   */
  function Element(group, type, options) {
    Emitter.call(this);
    this._group = group;
    this._type = type;
    this._options = Object.assign({}, options || {});
    this._node = null;
    this._root = null;
    this._inputs = {};
    this._errorNodes = {};
    this._touched = {};
    this._destroyed = false;
  }
  Element.prototype = Object.create(Emitter.prototype);

  Element.prototype._locale = function () {
    return this._group._locale();
  };

  Element.prototype.mount = function (target) {
    if (this._destroyed) {
      throw IntegrationError('This Element has already been destroyed. Please create a new one.');
    }
    var node = typeof target === 'string' ? document.querySelector(target) : target;
    if (!node || !node.nodeType) {
      throw IntegrationError(
        'The selector you specified (' + target + ') applies to no DOM elements that are ' +
          'currently on the page.\nMake sure the element exists on the page before calling mount().'
      );
    }
    if (this._node) {
      throw IntegrationError(
        'This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.'
      );
    }
    injectStyles();
    this._node = node;
    node.classList.add('StripeElement');
    this._root = el('div', { className: '__PrivateStripeElement __emu-root' });
    applyAppearance(this._root, this._group._options.appearance);
    if (this._type === 'payment') this._renderPayment();
    else this._renderCard();
    node.appendChild(this._root);
    this._wireEvents();
    this._updateClasses();
    this._applyDisabled();
    var self = this;
    if (this._type === 'payment' && this._group._clientSecret) {
      // Like the real element, load the intent first: a wrong key or secret shows up here.
      this._group._retrieve().then(function (res) {
        if (res.error) self._showLoadError(res.error);
        else self._emit('ready', { elementType: self._type });
      });
    } else {
      setTimeout(function () {
        if (self._node) self._emit('ready', { elementType: self._type });
      }, 0);
    }
    return this;
  };

  Element.prototype._showLoadError = function (error) {
    var L = LABELS[lang(this._locale())];
    if (this._root) {
      var box = el('div', { className: '__emu-loaderror', role: 'alert' }, [
        L.loadError + ' ' + error.message,
      ]);
      this._root.insertBefore(box, this._root.children[1] || null);
    }
    this._emit('loaderror', { elementType: this._type, error: error });
  };

  var CARD_ICON =
    '<svg viewBox="0 0 24 24" fill="none" aria-hidden="true"><rect x="2" y="5" width="20" ' +
    'height="14" rx="2" stroke="currentColor" stroke-width="2"/><path d="M2 10h20" ' +
    'stroke="currentColor" stroke-width="2"/></svg>';

  Element.prototype._renderPayment = function () {
    var L = LABELS[lang(this._locale())];
    var sfx = freeSuffix('Field-numberInput');
    var o = this._options;
    var address = ((o.fields || {}).billingDetails || {}).address;
    var collectCountry = !(address === 'never' || (address && address.country === 'never'));
    var collectPostal = !(address === 'never' || (address && address.postalCode === 'never'));
    var defaults = ((o.defaultValues || {}).billingDetails || {}).address || {};
    var country = defaults.country || 'US';
    this._collect = { country: collectCountry, postal: collectPostal };

    function field(name, label, input, full) {
      var id = 'Field-' + name + 'Input' + sfx;
      input.id = id;
      var error = el('div', {
        id: 'Field-' + name + 'Error' + sfx,
        className: '__emu-error',
        'aria-live': 'polite',
      });
      input.setAttribute('aria-describedby', error.id);
      var wrap = el('div', { className: '__emu-field' + (full ? ' __emu-full' : '') }, [
        el('label', { for: id, text: label }),
        input,
        error,
      ]);
      return { wrap: wrap, input: input, error: error };
    }

    var number = field(
      'number',
      L.number,
      el('input', {
        name: 'number',
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'cc-number',
        placeholder: '1234 1234 1234 1234',
        'aria-invalid': 'false',
        spellcheck: 'false',
      }),
      true
    );
    // The detected brand sits inside the number box, as in the real element.
    this._brandNode = el('span', { className: '__emu-brand', 'aria-hidden': 'true' });
    var inputWrap = el('span', { className: '__emu-inputwrap' });
    number.wrap.insertBefore(inputWrap, number.input);
    inputWrap.appendChild(number.input);
    inputWrap.appendChild(this._brandNode);
    var expiry = field(
      'expiry',
      L.expiry,
      el('input', {
        name: 'expiry',
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'cc-exp',
        placeholder: L.expiryPlaceholder,
        'aria-invalid': 'false',
      })
    );
    var cvc = field(
      'cvc',
      L.cvc,
      el('input', {
        name: 'cvc',
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'cc-csc',
        placeholder: L.cvcShort,
        maxlength: '4',
        'aria-invalid': 'false',
      })
    );
    var select = el('select', { name: 'country', autocomplete: 'billing country' });
    var ru = lang(this._locale()) === 'ru';
    COUNTRIES.forEach(function (c) {
      select.appendChild(el('option', { value: c[0], text: ru ? c[2] : c[1] }));
    });
    select.value = country;
    var countryField = field('country', L.country, select);
    var postal = field(
      'postalCode',
      L.postal,
      el('input', {
        name: 'postalCode',
        type: 'text',
        autocomplete: 'billing postal-code',
        placeholder: '12345',
        maxlength: '10',
        'aria-invalid': 'false',
      })
    );
    if (defaults.postal_code) postal.input.value = defaults.postal_code;
    this._postalLabel = postal.wrap.querySelector('label');
    if (!collectCountry) countryField.wrap.classList.add('__emu-hidden');
    if (!collectPostal) postal.wrap.classList.add('__emu-hidden');

    this._inputs = {
      number: number.input,
      expiry: expiry.input,
      cvc: cvc.input,
      country: select,
      postal: postal.input,
    };
    this._errorNodes = {
      number: number.error,
      expiry: expiry.error,
      cvc: cvc.error,
      postal: postal.error,
    };
    this._postalWrap = postal.wrap;
    var tab = el('div', { className: '__emu-tab', 'aria-hidden': 'true' });
    tab.innerHTML = CARD_ICON;
    tab.appendChild(document.createTextNode(L.card));
    this._root.classList.add('__emu-payment');
    this._root.appendChild(el('div', { className: '__emu-badge', text: L.badge }));
    this._root.appendChild(tab);
    this._root.appendChild(
      el('div', { className: '__emu-grid' }, [
        number.wrap,
        expiry.wrap,
        cvc.wrap,
        countryField.wrap,
        postal.wrap,
      ])
    );
    this._syncPostal();
  };

  // The postal code field follows the selected country, as in the real Payment Element.
  Element.prototype._syncPostal = function () {
    if (this._type !== 'payment' || !this._collect.postal) return;
    var country = this._inputs.country.value;
    var needed = !!POSTAL_COUNTRIES[country];
    var L = LABELS[lang(this._locale())];
    this._postalWrap.classList.toggle('__emu-hidden', !needed);
    this._postalLabel.textContent = country === 'US' ? L.postal : L.postalOther;
    this._inputs.postal.placeholder = country === 'US' ? '12345' : country === 'GB' ? 'WS11 1DB' : 'M5T 1T4';
    this._inputs.postal.inputMode = country === 'US' ? 'numeric' : 'text';
  };

  Element.prototype._renderCard = function () {
    var L = LABELS[lang(this._locale())];
    var n = ++cardElementCount;
    var prefix = '__emu-card' + n + '-';
    var o = this._options;
    function input(key, name, label, attrs) {
      var id = prefix + key;
      var node = el(
        'input',
        Object.assign({ id: id, name: name, type: 'text', 'aria-invalid': 'false' }, attrs)
      );
      return [el('label', { for: id, className: '__emu-sr', text: label }), node];
    }
    var number = input('number', 'cardnumber', L.number, {
      inputmode: 'numeric',
      autocomplete: 'cc-number',
      placeholder: lang(this._locale()) === 'ru' ? 'Номер карты' : 'Card number',
    });
    var expiry = input('expiry', 'exp-date', L.expiry, {
      inputmode: 'numeric',
      autocomplete: 'cc-exp',
      placeholder: L.expiryPlaceholder,
    });
    var cvc = input('cvc', 'cvc', L.cvcShort, {
      inputmode: 'numeric',
      autocomplete: 'cc-csc',
      placeholder: 'CVC',
      maxlength: '4',
    });
    var postal = input('postal', 'postal', L.postalOther, {
      autocomplete: 'postal-code',
      placeholder: L.zip,
      maxlength: '10',
    });
    var row = el('div', { className: '__emu-cardrow' }, [].concat(number, expiry, cvc));
    this._hidePostal = !!o.hidePostalCode;
    if (!this._hidePostal) postal.forEach(row.appendChild, row);
    if (o.value && o.value.postalCode) postal[1].value = o.value.postalCode;
    this._inputs = { number: number[1], expiry: expiry[1], cvc: cvc[1], postal: postal[1] };
    this._errorNodes = {};
    this._root.classList.add('__emu-card');
    this._root.appendChild(el('div', { className: '__emu-badge', text: L.badge }));
    this._root.appendChild(row);
  };

  Element.prototype._wireEvents = function () {
    var self = this;
    var inputs = this._inputs;
    var formatters = { number: formatNumber, expiry: formatExpiry };
    Object.keys(inputs).forEach(function (key) {
      var input = inputs[key];
      input.addEventListener('input', function (event) {
        if (formatters[key]) maskInput(input, formatters[key], event);
        if (key === 'cvc') input.value = digits(input.value).slice(0, 4);
        self._changed(false);
      });
      input.addEventListener('change', function () {
        if (key === 'country') {
          self._syncPostal();
          self._changed(false);
        }
      });
      input.addEventListener('blur', function () {
        if (input.value) self._touched[key] = true;
        self._changed(true);
      });
    });
    this._root.addEventListener('focusin', function (event) {
      if (!self._root.contains(event.relatedTarget)) {
        self._node.classList.add('StripeElement--focus');
        self._emit('focus', { elementType: self._type });
      }
    });
    this._root.addEventListener('focusout', function (event) {
      if (!self._root.contains(event.relatedTarget)) {
        self._node && self._node.classList.remove('StripeElement--focus');
        self._emit('blur', { elementType: self._type });
      }
    });
    this._root.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') self._emit('escape', { elementType: self._type });
    });
  };

  Element.prototype._card = function () {
    var i = this._inputs;
    var payment = this._type === 'payment';
    var country = payment && this._collect.country ? i.country.value : undefined;
    var requirePostal = payment
      ? this._collect.postal && !!POSTAL_COUNTRIES[i.country.value]
      : !this._hidePostal;
    return {
      number: i.number.value,
      expiry: i.expiry.value,
      cvc: i.cvc.value,
      postal: i.postal.value,
      country: payment ? i.country.value : undefined,
      collectedCountry: country,
      requirePostal: requirePostal,
    };
  };

  Element.prototype._isEmpty = function () {
    var i = this._inputs;
    return !(i.number.value || i.expiry.value || i.cvc.value || (i.postal.value && !this._hidePostal));
  };

  /*
   * Which errors to display now: "invalid" ones always (a full number failing Luhn, a past
   * date), "incomplete" ones only for fields the buyer has left or after a submit.
   */
  Element.prototype._visibleErrors = function () {
    var all = validateCard(this._card());
    var shown = {};
    var touched = this._touched;
    Object.keys(all).forEach(function (field) {
      if (touched[field] || all[field].indexOf('incomplete') !== 0) shown[field] = all[field];
    });
    return { all: all, shown: shown };
  };

  Element.prototype._renderErrors = function (shown) {
    var self = this;
    var locale = this._locale();
    ['number', 'expiry', 'cvc', 'postal'].forEach(function (field) {
      var code = shown[field];
      var input = self._inputs[field];
      if (input) input.setAttribute('aria-invalid', code ? 'true' : 'false');
      var node = self._errorNodes[field];
      if (node) node.textContent = code ? message(code, locale) : '';
    });
    if (this._brandNode) {
      var brand = brandOf(this._inputs.number.value).brand;
      this._brandNode.textContent = brand === 'unknown' ? '' : brand;
    }
  };

  Element.prototype._updateClasses = function () {
    if (!this._node) return;
    var errors = this._visibleErrors();
    var cl = this._node.classList;
    cl.toggle('StripeElement--empty', this._isEmpty());
    cl.toggle('StripeElement--complete', !firstError(errors.all));
    cl.toggle('StripeElement--invalid', !!firstError(errors.shown));
    this._renderErrors(errors.shown);
    return errors;
  };

  Element.prototype._changed = function (blurOnly) {
    var errors = this._updateClasses();
    if (blurOnly && this._type === 'payment') return;
    var empty = this._isEmpty();
    var complete = !firstError(errors.all);
    var event;
    if (this._type === 'payment') {
      event = {
        elementType: 'payment',
        empty: empty,
        complete: complete,
        collapsed: false,
        value: { type: 'card' },
      };
    } else {
      var code = firstError(errors.shown);
      event = {
        elementType: 'card',
        empty: empty,
        complete: complete,
        error: code ? validationError(code, this._locale()) : undefined,
        value: { postalCode: this._hidePostal ? '' : this._inputs.postal.value },
        brand: brandOf(this._inputs.number.value).brand,
      };
    }
    this._group._submitted = false;
    this._emit('change', event);
  };

  /* Marks every field touched, shows every error; returns the first as a StripeError or null. */
  Element.prototype._validate = function () {
    var self = this;
    ['number', 'expiry', 'cvc', 'postal'].forEach(function (f) {
      self._touched[f] = true;
    });
    var errors = this._updateClasses();
    var code = errors && firstError(errors.all);
    return code ? validationError(code, this._locale()) : null;
  };

  /* payment_method_data for the confirm call. */
  Element.prototype._paymentMethodData = function (extraBilling) {
    var card = this._card();
    var exp = parseExpiry(card.expiry) || { month: '', year: '' };
    var billing = JSON.parse(JSON.stringify(extraBilling || {}));
    var address = billing.address || {};
    if (card.collectedCountry) address.country = card.collectedCountry;
    if (card.requirePostal && card.postal) address.postal_code = card.postal.trim();
    if (Object.keys(address).length) billing.address = address;
    var data = {
      type: 'card',
      card: {
        number: digits(card.number),
        exp_month: exp.month,
        exp_year: exp.year,
        cvc: digits(card.cvc),
      },
    };
    if (Object.keys(billing).length) data.billing_details = billing;
    return data;
  };

  Element.prototype._applyDisabled = function () {
    var disabled = !!(this._options.disabled || this._options.readOnly);
    var self = this;
    Object.keys(this._inputs).forEach(function (k) {
      self._inputs[k].disabled = disabled;
    });
  };

  Element.prototype.update = function (options) {
    Object.assign(this._options, options || {});
    if (this._node) {
      this._applyDisabled();
      if (options && options.value && options.value.postalCode !== undefined && this._inputs.postal) {
        this._inputs.postal.value = options.value.postalCode;
      }
    }
    return this;
  };

  Element.prototype.unmount = function () {
    if (!this._node) return this;
    this._root.remove();
    this._node.classList.remove(
      'StripeElement',
      'StripeElement--empty',
      'StripeElement--complete',
      'StripeElement--invalid',
      'StripeElement--focus'
    );
    this._node = null;
    this._root = null;
    this._touched = {};
    return this;
  };

  Element.prototype.destroy = function () {
    this.unmount();
    this._destroyed = true;
    delete this._group._elements[this._type];
  };

  Element.prototype.focus = function () {
    if (this._inputs.number) this._inputs.number.focus();
    return this;
  };

  Element.prototype.blur = function () {
    var active = document.activeElement;
    if (this._root && this._root.contains(active)) active.blur();
    return this;
  };

  Element.prototype.clear = function () {
    var self = this;
    ['number', 'expiry', 'cvc', 'postal'].forEach(function (k) {
      if (self._inputs[k]) self._inputs[k].value = '';
    });
    this._touched = {};
    this._changed(false);
    return this;
  };

  Element.prototype.collapse = function () {
    return this;
  };

  // ---------------------------------------------------------------------------------------
  // Elements group
  // ---------------------------------------------------------------------------------------
  function Elements(stripe, options) {
    this._stripe = stripe;
    this._options = Object.assign({}, options || {});
    this._clientSecret = this._options.clientSecret || null;
    this._elements = {};
    this._submitted = false;
    this._intent = null;
  }

  Elements.prototype._locale = function () {
    return this._options.locale || this._stripe._locale;
  };

  Elements.prototype._retrieve = function () {
    var self = this;
    return this._stripe.retrievePaymentIntent(this._clientSecret).then(function (res) {
      if (res.paymentIntent) self._intent = res.paymentIntent;
      return res;
    });
  };

  Elements.prototype.create = function (type, options) {
    if (type !== 'payment' && type !== 'card' && type !== 'linkAuthentication') {
      throw IntegrationError(
        'The local Stripe emulator supports only the `payment`, `card` and ' +
          '`linkAuthentication` Elements, not `' + type + '`.'
      );
    }
    if (this._elements[type]) {
      throw IntegrationError('Can only create one Element of type ' + type + '.');
    }
    if (type === 'linkAuthentication') {
      this._elements[type] = new LinkAuthenticationElement(this, options); // link.js
      return this._elements[type];
    }
    if (type === 'payment' && !this._clientSecret && !this._options.mode) {
      throw IntegrationError(
        'In order to create a payment element, you must pass a valid PaymentIntent or ' +
          'SetupIntent client secret, or `mode`, when creating the Elements group.'
      );
    }
    var element = new Element(this, type, options);
    this._elements[type] = element;
    return element;
  };

  Elements.prototype.getElement = function (type) {
    return this._elements[type] || null;
  };

  Elements.prototype._paymentElement = function () {
    return this._elements.payment || null;
  };

  Elements.prototype.submit = function () {
    var element = this._elements.payment || this._elements.card;
    var self = this;
    return Promise.resolve().then(function () {
      if (!element || !element._node) {
        throw IntegrationError('elements.submit(): no mounted Payment Element to submit.');
      }
      var error = element._validate();
      if (error) return { error: error };
      self._submitted = true;
      return { selectedPaymentMethod: 'card' };
    });
  };

  Elements.prototype.fetchUpdates = function () {
    if (!this._clientSecret) return Promise.resolve({});
    return this._retrieve().then(function (res) {
      return res.error ? { error: res.error } : {};
    });
  };

  Elements.prototype.update = function (options) {
    var self = this;
    Object.assign(this._options, options || {});
    Object.keys(this._elements).forEach(function (k) {
      var element = self._elements[k];
      if (element._root) applyAppearance(element._root, self._options.appearance);
    });
    return Promise.resolve();
  };
