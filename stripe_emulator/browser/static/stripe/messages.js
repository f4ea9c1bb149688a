import { BADGE, NOTICE } from './config.js';

// ---------------------------------------------------------------------------------------
// Messages. English wording is Stripe's (https://docs.stripe.com/declines/codes). The Russian strings are the
// emulator's own translation: the shop is bilingual, Stripe's exact Russian text is unverified.
// ---------------------------------------------------------------------------------------
var MESSAGES = {
  en: {
    incomplete_number: 'Your card number is incomplete.',
    invalid_number: 'Your card number is invalid.',
    incomplete_expiry: "Your card's expiration date is incomplete.",
    invalid_expiry_month: "Your card's expiration month is invalid.",
    invalid_expiry_month_past: "Your card's expiration date is in the past.",
    invalid_expiry_year: "Your card's expiration year is invalid.",
    invalid_expiry_year_past: "Your card's expiration year is in the past.",
    incomplete_cvc: "Your card's security code is incomplete.",
    incomplete_zip: 'Your postal code is incomplete.',
    api_connection_error: 'An error occurred with our connection to Stripe.',
  },
  ru: {
    incomplete_number: 'Номер карты указан не полностью.',
    invalid_number: 'Номер карты недействителен.',
    incomplete_expiry: 'Срок действия карты указан не полностью.',
    invalid_expiry_month: 'Месяц окончания срока действия карты недействителен.',
    invalid_expiry_month_past: 'Срок действия карты уже истёк.',
    invalid_expiry_year: 'Год окончания срока действия карты недействителен.',
    invalid_expiry_year_past: 'Год окончания срока действия карты уже прошёл.',
    incomplete_cvc: 'Код безопасности карты указан не полностью.',
    incomplete_zip: 'Почтовый индекс указан не полностью.',
    api_connection_error: 'Ошибка соединения со Stripe. Попробуйте ещё раз.',
    // Card errors come from the API in English; these replace them for locale 'ru'.
    generic_decline: 'Ваша карта отклонена.',
    card_declined: 'Ваша карта отклонена.',
    insufficient_funds: 'На карте недостаточно средств.',
    lost_card: 'Ваша карта отклонена.',
    stolen_card: 'Ваша карта отклонена.',
    expired_card: 'Срок действия вашей карты истёк.',
    incorrect_cvc: 'Код безопасности карты указан неверно.',
    processing_error: 'При обработке карты произошла ошибка. Повторите попытку чуть позже.',
    payment_intent_authentication_failure:
      'Не удалось подтвердить ваш способ оплаты. Выберите другой способ оплаты и повторите попытку.',
  },
};

export var AUTH_FAILURE_MESSAGE =
  'We are unable to authenticate your payment method. Please choose a different payment ' +
  'method and try again.';

export var LABELS = {
  en: {
    card: 'Card',
    number: 'Card number',
    expiry: 'Expiration date',
    cvc: 'Security code',
    cvcShort: 'CVC',
    country: 'Country',
    postal: 'ZIP code',
    postalOther: 'Postal code',
    zip: 'ZIP',
    expiryPlaceholder: 'MM / YY',
    loadError: 'The payment form could not be loaded:',
    tdsTitle: 'Test authentication',
    tdsBody:
      'Your bank would now ask you to confirm this payment. This is a simulated 3-D Secure ' +
      'challenge: choose the outcome.',
    tdsAmount: 'Amount',
    badge: BADGE,
    testMode: 'TEST MODE',
    notice: NOTICE,
    complete: 'Complete',
    fail: 'Fail',
    working: 'Working\u2026',
  },
  ru: {
    card: 'Карта',
    number: 'Номер карты',
    expiry: 'Срок действия',
    cvc: 'Код безопасности',
    cvcShort: 'CVC',
    country: 'Страна',
    postal: 'Почтовый индекс (ZIP)',
    postalOther: 'Почтовый индекс',
    zip: 'Индекс',
    expiryPlaceholder: 'ММ / ГГ',
    loadError: 'Не удалось загрузить форму оплаты:',
    tdsTitle: 'Тестовая аутентификация',
    tdsBody:
      'Здесь банк попросил бы подтвердить платёж. Это имитация проверки 3-D Secure: ' +
      'выберите исход.',
    tdsAmount: 'Сумма платежа',
    badge: 'ТЕСТОВЫЙ РЕЖИМ \u2014 локальный эмулятор Stripe, деньги не списываются',
    testMode: 'ТЕСТОВЫЙ РЕЖИМ',
    notice:
      'Это локальный эмулятор Stripe, а не Stripe: с карты ничего не списывается, деньги ' +
      'никуда не переводятся. Используйте только тестовые карты.',
    complete: 'Подтвердить (Complete)',
    fail: 'Отклонить (Fail)',
    working: 'Подождите\u2026',
  },
};

// A short list is enough for a test form; US first because real Stripe defaults to it here.
export var COUNTRIES = [
  ['US', 'United States', 'США'],
  ['GB', 'United Kingdom', 'Великобритания'],
  ['CA', 'Canada', 'Канада'],
  ['DE', 'Germany', 'Германия'],
  ['FR', 'France', 'Франция'],
  ['NL', 'Netherlands', 'Нидерланды'],
  ['RU', 'Russia', 'Россия'],
  ['JP', 'Japan', 'Япония'],
  ['AU', 'Australia', 'Австралия'],
];
// Countries whose postal code the Payment Element asks for.
export var POSTAL_COUNTRIES = { US: true, GB: true, CA: true };

export function lang(locale) {
  var l = (locale || 'auto').toLowerCase();
  if (l === 'auto') l = (navigator.language || 'en').toLowerCase();
  return l.slice(0, 2) === 'ru' ? 'ru' : 'en';
}

export function message(code, locale) {
  var table = MESSAGES[lang(locale)];
  return table[code] || MESSAGES.en[code] || code;
}

export function validationError(code, locale) {
  return { type: 'validation_error', code: code, message: message(code, locale) };
}

// Card errors from the API keep their fields; only the message is localised.
export function localiseError(error, locale) {
  if (!error || lang(locale) === 'en') return error;
  var ru = MESSAGES.ru;
  var text = (error.decline_code && ru[error.decline_code]) || (error.code && ru[error.code]);
  if (!text) return error;
  var copy = Object.assign({}, error);
  copy.message = text;
  return copy;
}

export function IntegrationError(text) {
  var e = new Error(text);
  e.name = 'IntegrationError';
  return e;
}
