"""Which currencies the shop may price in and which a buyer can pay in, from the settings.

Items and discounts are priced only in `STRIPE_CURRENCIES` (each has its own Stripe account);
of those, a currency whose account lacks its keys cannot take a payment, so its items are kept
out of the catalog (and reported by a system check and in the admin) instead of being offered
with a Buy that could only fail.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed

from catalog.money import CURRENCY_CHOICES


def offered_currency_choices() -> list[tuple[str, str]]:
    """The choices for an item's or discount's currency: the configured STRIPE_CURRENCIES
    (a callable, so the form follows the settings without a migration)."""
    enabled = set(settings.STRIPE_CURRENCIES)
    return [(code, str(label)) for code, label in CURRENCY_CHOICES if code in enabled]


def has_account(currency: str) -> bool:
    """Whether `currency`'s Stripe account has both its keys."""
    config = settings.STRIPE_ACCOUNTS.get(currency.lower()) or {}
    return bool(config.get("secret_key") and config.get("publishable_key"))


def list_payable_currencies() -> list[str]:
    """The currencies a buyer can pay in now."""
    return list(_payable_currencies())


# Worked out once, not on every catalog and item page: the settings change only in tests.
@cache
def _payable_currencies() -> tuple[str, ...]:
    enabled = set(settings.STRIPE_CURRENCIES)
    return tuple(code for code, _label in CURRENCY_CHOICES if code in enabled and has_account(code))


def _forget_payable_currencies(*, setting: str, **_kwargs: object) -> None:
    if setting in ("STRIPE_CURRENCIES", "STRIPE_ACCOUNTS"):
        _payable_currencies.cache_clear()


setting_changed.connect(_forget_payable_currencies)
