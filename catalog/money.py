"""Money in one place: currencies, minor units, Stripe's limits, and formatting.

Amounts cross every boundary (Stripe, totals, pages) as an integer of minor units plus a
lowercase ISO code. Prices are stored as `Decimal` in major units; the helpers here convert
exactly, refusing amounts the currency cannot represent instead of rounding them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from babel.numbers import format_currency
from django.utils.translation import gettext_lazy as _
from django.utils.translation import to_locale

SUPPORTED_CURRENCIES: Final = ("usd", "eur", "gbp", "jpy")

CURRENCY_CHOICES: Final = [
    ("usd", _("USD — US dollar")),
    ("eur", _("EUR — Euro")),
    ("gbp", _("GBP — Pound sterling")),
    ("jpy", _("JPY — Japanese yen")),
]

# Stripe's zero-decimal currencies (https://docs.stripe.com/currencies): 10 JPY is sent as 10.
ZERO_DECIMAL_CURRENCIES: Final = frozenset(
    {
        "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
        "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
    }
)  # fmt: skip

# Three-decimal currencies (amounts in thousandths, last digit 0): refused, the shop has none.
THREE_DECIMAL_CURRENCIES: Final = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})

# Smallest charge Stripe accepts, in minor units
# (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
MINIMUM_CHARGE: Final[Mapping[str, int]] = MappingProxyType(
    {"usd": 50, "eur": 50, "gbp": 30, "jpy": 50}
)

# Largest amount Stripe accepts, in minor units: 8 digits for most currencies, 10 for JPY card
# charges (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
MAXIMUM_AMOUNT: Final[Mapping[str, int]] = MappingProxyType(
    {"usd": 99_999_999, "eur": 99_999_999, "gbp": 99_999_999, "jpy": 9_999_999_999}
)


def get_currency_exponent(currency: str) -> int:
    """Return how many decimal places Stripe uses for `currency` (0 for JPY, 2 for USD)."""
    code = currency.lower()
    if code in ZERO_DECIMAL_CURRENCIES:
        return 0
    if code in THREE_DECIMAL_CURRENCIES:
        raise ValueError(f"{code.upper()} is a three-decimal currency, which the shop does not use")
    return 2


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Convert a major-unit `Decimal` to integer minor units, exactly.

    Raises ValueError when `amount` has more decimal places than the currency allows
    (1.5 JPY, 1.005 USD): silently rounding would charge a different amount than shown.
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError(f"amount must be finite, not {amount}")
    scaled = amount.scaleb(get_currency_exponent(currency))
    if scaled != scaled.to_integral_value():
        places = get_currency_exponent(currency)
        raise ValueError(f"{amount} {currency.upper()} has more than {places} decimal place(s)")
    return int(scaled)


def from_minor_units(minor: int, currency: str) -> Decimal:
    """Convert integer minor units to a major-unit `Decimal` (1999 USD -> Decimal("19.99"))."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"minor must be an int, not {type(minor).__name__}")
    return Decimal(minor).scaleb(-get_currency_exponent(currency))


def format_money(minor: int, currency: str, locale: str) -> str:
    """Format minor units for display in `locale` ("en", "ru", "en-us" or "en_US").

    Babel knows each currency's digits, so JPY shows no decimals ("¥1,500").
    """
    return format_currency(
        from_minor_units(minor, currency), currency.upper(), locale=to_locale(locale)
    )
