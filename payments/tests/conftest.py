"""Fixtures the payments tests share (plain helpers live in helpers.py)."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.tests.factories import make_order
from payments.tests.helpers import make_payment
from stripe_emulator.testing import RunningEmulator


@pytest.fixture
def payment(settings, stripe_accounts):
    """A usd order of 30.00 awaiting payment with its PaymentIntent."""
    order = make_order()
    return make_payment(order, "pi_test_webhooks")


@pytest.fixture
def emulator(stripe_accounts: RunningEmulator, settings: Any) -> RunningEmulator:
    """The conftest's usd and eur accounts, plus a jpy one for zero-decimal parity."""
    stripe_accounts.add_account("sk_test_shopjpy")
    settings.STRIPE_CURRENCIES = [*settings.STRIPE_CURRENCIES, "jpy"]
    settings.STRIPE_ACCOUNTS = {
        **settings.STRIPE_ACCOUNTS,
        "jpy": {
            "secret_key": "sk_test_shopjpy",
            "publishable_key": "pk_test_shopjpy",
            "webhook_secret": "whsec_testjpy0123456789abcdefghijklmnopqrstu",
        },
    }
    return stripe_accounts
