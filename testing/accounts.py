"""The shop's Stripe test accounts on the emulator, shared by conftest.py and the tests."""

from __future__ import annotations

from pytest_django.fixtures import Settings as SettingsWrapper

from stripe_emulator.testing import RunningEmulator
from testing.servers import StripeKeys

# One emulator account per currency: sk_test_X pairs with pk_test_X.
SECRET_KEYS = {"usd": "sk_test_shopusd", "eur": "sk_test_shopeur"}
PUBLISHABLE_KEYS = {"usd": "pk_test_shopusd", "eur": "pk_test_shopeur"}
WEBHOOK_SECRETS = {
    "usd": "whsec_testusd0123456789abcdefghijklmnopqrstu",
    "eur": "whsec_testeur0123456789abcdefghijklmnopqrstu",
}
# The same accounts as a shop process reads them (STRIPE_<CUR>_*), for the tests that start
# gunicorn (testing.servers.stripe_environment).
TEST_ACCOUNTS = {
    currency: StripeKeys(
        SECRET_KEYS[currency], PUBLISHABLE_KEYS[currency], WEBHOOK_SECRETS[currency]
    )
    for currency in SECRET_KEYS
}


def point_at(emulator: RunningEmulator, settings: SettingsWrapper) -> None:
    """Point the shop's settings at ``emulator`` and its test accounts."""
    settings.STRIPE_API_BASE = emulator.url
    settings.STRIPE_JS_URL = f"{emulator.url}/{settings.STRIPE_JS_RELEASE}/stripe.js"
    settings.STRIPE_CURRENCIES = list(SECRET_KEYS)
    settings.STRIPE_ACCOUNTS = {
        currency: {
            "secret_key": SECRET_KEYS[currency],
            "publishable_key": PUBLISHABLE_KEYS[currency],
            "webhook_secret": WEBHOOK_SECRETS[currency],
        }
        for currency in SECRET_KEYS
    }
