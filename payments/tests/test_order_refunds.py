"""The buyer's order page: what was refunded, in the buyer's language; nothing for refunds
that gave nothing back."""

from __future__ import annotations

import pytest

from catalog.models import OrderStatus
from catalog.tests.factories import make_order
from payments.models import PaymentStatus, Refund, RefundStatus
from payments.tests.helpers import make_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def refunded_order():
    """A 30.00 USD order paid, 12.50 of it refunded and a 5.00 refund that failed."""
    order = make_order()
    payment = make_payment(order, "pi_order_page", status=PaymentStatus.PARTIALLY_REFUNDED)
    order.status = OrderStatus.PARTIALLY_REFUNDED
    order.save(update_fields=["status"])
    for stripe_id, amount, status in (("re_ok", 1250, "succeeded"), ("re_bad", 500, "failed")):
        Refund.objects.create(
            payment=payment, stripe_id=stripe_id, amount=amount, currency="usd", status=status
        )
    return order


def test_the_order_page_shows_what_was_refunded(client, refunded_order):
    """Refunds that give money back are listed with their total; a failed one is not."""
    page = client.get(f"/order/{refunded_order.pk}").content.decode()
    assert 'id="order-refunds"' in page
    assert '<strong id="order-refunded">$12.50</strong>' in page
    assert "$5.00" not in page
    assert "Partially refunded" in page


def test_in_russian(client, refunded_order):
    """The refunds block and the order's status read as a Russian shop writes them."""
    Refund.objects.filter(stripe_id="re_ok").update(status=RefundStatus.PENDING)
    client.cookies["django_language"] = "ru"
    page = client.get(f"/order/{refunded_order.pk}").content.decode()
    assert "Возвраты" in page
    assert "Частичный возврат" in page
    assert "обрабатывается" in page
    assert "12,50" in page


def test_an_unpaid_order_has_no_refunds_block(client):
    """Nothing refunded, nothing shown."""
    assert 'id="order-refunds"' not in client.get(f"/order/{make_order().pk}").content.decode()
