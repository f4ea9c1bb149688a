"""The result page is a receipt: lines, discount rule, tax rate, total, when it was paid and
the card (brand and last four, read from Stripe's charge once and kept on the Payment)."""

from __future__ import annotations

import re

import pytest

from catalog.tests.factories import make_item, make_order, make_percent_discount, make_tax
from payments.models import Payment
from payments.receipts import format_brand_name
from payments.tests.helpers import pay_server_side

pytestmark = pytest.mark.django_db


def paid_result(client, card: str = "pm_card_visa"):
    """Pay a 2-line order with a discount and a tax; return the result page's HTML."""
    order = make_order(
        lines=[(make_item(name="Teapot", price="40.00"), 1), (make_item(name="Cup"), 2)],
        discount=make_percent_discount(percent="10", name="Autumn sale"),
        tax=make_tax(percentage="8.25", display_name="Sales tax"),
    )
    body = client.post(f"/order/{order.pk}/payment-intent").json()
    pay_server_side(Payment.objects.get(), card)
    query = {
        "payment_intent": body["paymentIntent"],
        "payment_intent_client_secret": body["clientSecret"],
    }
    return client.get("/payments/result/", query).content.decode(), query


class TestReceipt:
    def test_shows_lines_rules_total_paid_at_and_card(self, client, stripe_accounts):
        """$70 less 10% is $63, plus 8.25% tax $5.20: $68.20, paid with Visa ending in 4242."""
        html, _query = paid_result(client)
        receipt = re.sub(r"\s+", " ", html)
        assert "Receipt for order" in receipt
        assert "Teapot" in receipt
        assert "Cup" in receipt
        assert "Autumn sale (10% off)" in receipt
        assert "Sales tax (8.25%)" in receipt
        assert re.search(r'id="order-total">\$68\.20<', receipt)
        assert re.search(r'id="receipt-card">Visa ending in 4242<', receipt)
        assert 'id="receipt-paid-at"' in receipt
        payment = Payment.objects.get()
        assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
        assert payment.paid_at is not None

    def test_the_card_is_asked_of_stripe_once(self, client, stripe_accounts):
        """A reload of the receipt shows the kept card without asking Stripe for the charge."""
        _html, query = paid_result(client, "pm_card_mastercard")
        asked = len(stripe_accounts.requests())
        again = client.get("/payments/result/", query).content.decode()
        assert "Mastercard ending in 4444" in again
        reads = stripe_accounts.requests()[asked:]
        assert len(reads) == 1  # the status, from Stripe as always; not the charge again

    def test_without_stripe_the_receipt_shows_the_rest(self, client, stripe_accounts, settings):
        """If the charge can't be read, the receipt shows the order and no card, and tells why."""
        order = make_order()
        body = client.post(f"/order/{order.pk}/payment-intent").json()
        pay_server_side(Payment.objects.get())
        Payment.objects.update(status="succeeded")
        settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        html = client.get(
            "/payments/result/",
            {
                "payment_intent": body["paymentIntent"],
                "payment_intent_client_secret": body["clientSecret"],
            },
        ).content.decode()
        assert "Receipt for order" in html
        assert 'id="receipt-card"' not in html
        assert Payment.objects.get().card_last4 == ""


@pytest.mark.parametrize(
    ("brand", "name"),
    [("visa", "Visa"), ("amex", "American Express"), ("new_brand", "New Brand"), ("", "Card")],
)
def test_brand_names(brand, name):
    """Stripe's brand words read as buyers know them; an unknown one is still readable."""
    assert format_brand_name(brand) == name
