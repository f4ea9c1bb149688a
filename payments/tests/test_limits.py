"""Stripe's amount and line limits, refused before Stripe is called (through Checkout)."""

from __future__ import annotations

import pytest

from catalog.models import Order, OrderStatus
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
)
from payments.models import Payment
from payments.tests.helpers import (
    buy,
    session_creates,
)

pytestmark = pytest.mark.django_db


class TestLimits:
    """Each limit is a 400 JSON message, and Stripe is never called."""

    def refused(self, client, emulator, order, status: int = 400) -> str:
        answer = buy(client, f"/order/{order.pk}/buy", status=status)
        assert session_creates(emulator) == []
        assert not Payment.objects.exists()
        message: str = answer["error"]
        return message

    def test_more_than_a_hundred_lines(self, client, emulator):
        """101 distinct items are more than Checkout takes in one session."""
        items = [make_item(name=f"Item {n}", price="1.00") for n in range(101)]
        order = make_order(lines=[(item, 1) for item in items])
        assert "at most 100 different items" in self.refused(client, emulator, order)

    def test_below_the_minimum_charge(self, client, emulator):
        """0.40 USD is under Stripe's 0.50 minimum."""
        order = make_order(lines=[(make_item(price="0.40"), 1)])
        assert "below $0.50" in self.refused(client, emulator, order)

    def test_above_the_maximum(self, client, emulator):
        """Over 999,999.99 USD is more than Stripe charges."""
        order = make_order(lines=[(make_item(price="600000.00"), 2)])
        assert "above $999,999.99" in self.refused(client, emulator, order)

    def test_discount_covering_the_order(self, client, emulator):
        """An amount off larger than the order leaves nothing to pay."""
        discount = make_amount_discount(amount="50.00", currency="usd")
        order = make_order(lines=[(make_item(price="15.00"), 1)], discount=discount)
        assert "covers the whole order" in self.refused(client, emulator, order)

    def test_paid_order(self, client, emulator):
        """A paid order is not sent to Checkout again: a 409, as for one found paid at Stripe."""
        order = make_order()
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
        assert "already paid" in self.refused(client, emulator, order, status=409)

    def test_currency_without_an_account(self, client, emulator, settings):
        """An item priced in GBP before GBP lost its account: a clear 503, no Stripe call."""
        settings.STRIPE_CURRENCIES = ["usd", "gbp"]
        item = make_item(currency="gbp", price="5.00")
        settings.STRIPE_CURRENCIES = ["usd"]
        answer = buy(client, f"/buy/{item.pk}", status=503)
        assert answer["error"] == "Payments in GBP are not available right now."
