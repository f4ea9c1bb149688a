"""Currencies: which are known, their minor-unit exponent, charge minimums and maximums."""

from __future__ import annotations

from stripe_emulator.errors import StripeError

ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
THREE_DECIMAL = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])

# Minimum charge in minor units; other known currencies use 50
# (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
MINIMUMS = {
    "usd": 50, "eur": 50, "gbp": 30, "jpy": 50, "cad": 50, "aud": 50, "nzd": 50, "sgd": 50,
    "brl": 50, "chf": 50, "inr": 50, "hkd": 400, "mxn": 1000, "dkk": 250, "nok": 300,
    "sek": 300, "pln": 200, "czk": 1500, "huf": 17500, "aed": 200, "bgn": 100, "myr": 200,
    "ron": 200, "thb": 1000,
}  # fmt: skip

# Maximum amount: 8 digits, with the card exceptions Stripe lists
# (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
MAXIMUMS = {
    "jpy": 9_999_999_999,
    "cop": 9_999_999_999,
    "huf": 9_999_999_999,
    "inr": 999_999_999,
    "idr": 999_999_999_999,
    "lbp": 99_999_999_999,
}
DEFAULT_MAXIMUM = 99_999_999

KNOWN = (
    frozenset(MINIMUMS)
    | ZERO_DECIMAL
    | THREE_DECIMAL
    | frozenset(
        [
            "ars",
            "cny",
            "cop",
            "idr",
            "ils",
            "isk",
            "kzt",
            "lbp",
            "php",
            "pen",
            "qar",
            "sar",
            "try",
            "twd",
            "uah",
            "zar",
            "egp",
            "ngn",
            "pkr",
        ]
    )
)

_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥"}


def exponent(currency: str) -> int:
    return 0 if currency in ZERO_DECIMAL else 3 if currency in THREE_DECIMAL else 2


def format_amount(amount: int, currency: str, *, thousands: bool = False) -> str:
    """``$0.50``: the way Stripe writes amounts in error messages."""
    digits = exponent(currency)
    major = amount / 10**digits
    text = f"{major:,.{digits}f}" if thousands else f"{major:.{digits}f}"
    return f"{_SYMBOLS.get(currency, '')}{text}"


def check_currency(currency: str, param: str = "currency") -> None:
    if currency not in KNOWN:
        # Parameters arrive lowercased (params.py); an unknown code lists the supported ones.
        raise StripeError.invalid_param(
            param,
            f"Invalid currency: {currency}. Stripe currently supports these currencies: "
            + ", ".join(sorted(KNOWN)),
        )


def check_amount(amount: int, currency: str, param: str = "amount") -> None:
    if amount < 1:  # the API's own bound comes before the currency's minimum charge
        raise StripeError.below_minimum(param)
    minimum = MINIMUMS.get(currency, 50)
    if amount < minimum:
        raise StripeError(
            400,
            f"Amount must be at least {format_amount(minimum, currency)} {currency}",
            code="amount_too_small",
            param=param,
            stored=False,
        )
    maximum = MAXIMUMS.get(currency, DEFAULT_MAXIMUM)
    if amount > maximum:
        raise StripeError(
            400,
            f"Amount must be no more than {format_amount(maximum, currency, thousands=True)} "
            f"{currency}",
            code="amount_too_large",
            param=param,
            stored=False,
        )
