"""Fixtures the payments tests share (plain helpers live in helpers.py)."""

from __future__ import annotations

import pytest

from catalog.tests.factories import make_order
from payments.models import Payment, PaymentKind


@pytest.fixture
def payment(settings, stripe_accounts):
    """A usd order of 30.00 awaiting payment with its PaymentIntent."""
    order = make_order()
    return Payment.objects.create(
        order=order,
        kind=PaymentKind.PAYMENT_INTENT,
        account="usd",
        stripe_id="pi_test_webhooks",
        amount=3000,
        shop_amount=3000,
        currency="usd",
    )
