# ruff: noqa: RUF001 (Russian text is Cyrillic on purpose)
"""Page wording for the hosted pages, in the two languages the shop uses (English, Russian).

English card messages are Stripe's; the Russian ones are the emulator's own translation.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "lang": "en",
        "title": "Checkout",
        "back": "Back",
        "test_mode": "TEST MODE",
        "notice": "",  # empty: the English page shows EMULATOR_NOTICE as it is
        "pay_heading": "Pay",
        "order_summary": "Order summary",
        "qty": "Qty {n}",
        "each": "{price} each",
        "subtotal": "Subtotal",
        "discount": "Discount",
        "tax": "Tax",
        "included": "included",
        "percent_off": "{percent} off",
        "decimal_point": ".",
        "title_suffix": "Stripe emulator (test mode)",
        "total_due": "Total due",
        "contact": "Contact information",
        "email": "Email",
        "payment_method": "Payment method",
        "card_information": "Card information",
        "card_number": "Card number",
        "expiry": "Expiration date",
        "expiry_placeholder": "MM / YY",
        "cvc": "Security code",
        "cardholder": "Cardholder name",
        "cardholder_placeholder": "Full name on card",
        "country": "Country or region",
        "postal": "ZIP",
        "pay": "Pay",
        "processing": "Processing\u2026",
        "redirecting": "Redirecting\u2026",
        "required": "Required",
        "email_incomplete": "Your email is incomplete.",
        "email_invalid": "Your email is invalid.",
        "auth_failed": (
            "We are unable to authenticate your payment method. Please choose a different "
            "payment method and try again."
        ),
        "generic_error": "Something went wrong. Please try again.",
        "test_cards": "Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, "
        "4000 0025 0000 3155 asks for 3-D Secure. Any future date, any CVC.",
        "gone_title": "This checkout session is no longer available",
        "gone_complete": "It has already been paid. No further payment is needed.",
        "gone_expired": "It has expired. Go back to the shop and start the checkout again.",
        "not_found_title": "Checkout session not found",
        "not_found_body": "The link is wrong, or the emulator was reset since it was made.",
        "back_to_shop": "Back to the shop",
        "tds_title": "Test authentication",
        "tds_body": (
            "Your bank would now ask you to confirm this payment. This is a simulated 3-D Secure "
            "challenge: choose the outcome."
        ),
        "complete": "Complete",
        "fail": "Fail",
        "tds_done_ok": "Authentication complete. You can close this page.",
        "tds_done_fail": "Authentication failed. You can close this page.",
        "working": "Working\u2026",
    },
    "ru": {
        "lang": "ru",
        "title": "Оплата",
        "back": "Назад",
        "test_mode": "ТЕСТОВЫЙ РЕЖИМ",
        "notice": (
            "Это локальный эмулятор Stripe, а не Stripe: с карты ничего не списывается, деньги "
            "никуда не переводятся. Используйте только тестовые карты."
        ),
        "pay_heading": "К оплате",
        "order_summary": "Состав заказа",
        "qty": "Кол-во: {n}",
        "each": "{price} за шт.",
        "subtotal": "Подытог",
        "discount": "Скидка",
        "tax": "Налог",
        "included": "включён",
        "percent_off": "скидка {percent}",
        "decimal_point": ",",
        "title_suffix": "эмулятор Stripe (тестовый режим)",
        "total_due": "Итого к оплате",
        "contact": "Контактные данные",
        "email": "Электронная почта",
        "payment_method": "Способ оплаты",
        "card_information": "Данные карты",
        "card_number": "Номер карты",
        "expiry": "Срок действия",
        "expiry_placeholder": "ММ / ГГ",
        "cvc": "Код безопасности",
        "cardholder": "Имя владельца карты",
        "cardholder_placeholder": "Имя и фамилия, как на карте",
        "country": "Страна или регион",
        "postal": "Индекс",
        "pay": "Оплатить",
        "processing": "Обработка\u2026",
        "redirecting": "Переход\u2026",
        "required": "Обязательное поле",
        "email_incomplete": "Адрес электронной почты указан не полностью.",
        "email_invalid": "Неверный адрес электронной почты.",
        "auth_failed": (
            "Не удалось подтвердить ваш способ оплаты. Выберите другой способ оплаты и "
            "повторите попытку."
        ),
        "generic_error": "Что-то пошло не так. Попробуйте ещё раз.",
        "test_cards": "Тестовые карты: 4242 4242 4242 4242 — успешно, 4000 0000 0000 0002 — "
        "отказ, 4000 0025 0000 3155 — 3-D Secure. Любая будущая дата, любой CVC.",
        "gone_title": "Эта сессия оплаты больше недоступна",
        "gone_complete": "Она уже оплачена. Повторная оплата не нужна.",
        "gone_expired": "Срок её действия истёк. Вернитесь в магазин и оформите заказ заново.",
        "not_found_title": "Сессия оплаты не найдена",
        "not_found_body": "Ссылка неверна, или эмулятор был сброшен после её создания.",
        "back_to_shop": "Вернуться в магазин",
        "tds_title": "Тестовая аутентификация",
        "tds_body": (
            "Здесь банк попросил бы подтвердить платёж. Это имитация проверки 3-D Secure: "
            "выберите исход."
        ),
        "complete": "Подтвердить (Complete)",
        "fail": "Отклонить (Fail)",
        "tds_done_ok": "Аутентификация пройдена. Страницу можно закрыть.",
        "tds_done_fail": "Аутентификация не пройдена. Страницу можно закрыть.",
        "working": "Подождите\u2026",
    },
}


def page_language(locale: str | None, accept_language: str | None) -> str:
    """'ru' or 'en': the session locale if set, else the browser's first preference."""
    wanted = locale if locale and locale != "auto" else (accept_language or "en")
    return "ru" if wanted.strip().lower().startswith("ru") else "en"
