"""Paying the public demo order pays the payer's own copy: one buyer never changes what
another sees (catalog/demo_order.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from catalog.models import DEMO_SESSION_KEY, Order, OrderStatus
from catalog.tests.factories import make_item, make_order, make_percent_discount, make_tax
from catalog.totals import compute_order_totals
from payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    item = make_item()
    return make_order(
        lines=[(item, 2), (make_item(name="Teapot", price="49.00"), 1)],
        discount=make_percent_discount(),
        tax=make_tax(),
        session_key=DEMO_SESSION_KEY,
    )


def pay(client: Client, order: Order):
    response = client.post(f"/order/{order.pk}/payment-intent")
    assert response.status_code == 200
    return response.json()


def copy_paid_by(client: Client) -> Order:
    return Order.objects.get(session_key=client.session.session_key)


class TestPayingTheDemoOrder:
    def test_each_stranger_pays_their_own_copy(self, demo, stripe_accounts):
        """Two strangers paying the demo order get two copies, each in their session, with the
        demo's lines, discount, tax and total; the demo order itself is never paid."""
        first, second = Client(), Client()
        first_answer, second_answer = pay(first, demo), pay(second, demo)
        assert first_answer["paymentIntent"] != second_answer["paymentIntent"]
        copies = [copy_paid_by(first), copy_paid_by(second)]
        assert len({copy.pk for copy in copies} | {demo.pk}) == 3
        demo_total = compute_order_totals(Order.objects.with_lines().get(pk=demo.pk)).total
        for copy in copies:
            assert (
                compute_order_totals(Order.objects.with_lines().get(pk=copy.pk)).total == demo_total
            )
            assert (copy.discount_id, copy.tax_id) == (demo.discount_id, demo.tax_id)
        assert first_answer["amount"] == second_answer["amount"]
        assert not Payment.objects.filter(order=demo).exists()
        demo.refresh_from_db()
        assert demo.status == OrderStatus.OPEN

    def test_paying_again_reuses_the_same_copy(self, demo, stripe_accounts):
        """A stranger clicking Pay twice pays one copy with one PaymentIntent."""
        stranger = Client()
        assert pay(stranger, demo)["paymentIntent"] == pay(stranger, demo)["paymentIntent"]
        assert Order.objects.exclude(pk=demo.pk).count() == 1

    def test_checkout_pays_a_copy_too(self, demo, stripe_accounts):
        """Stripe Checkout for the demo order is a session for the stranger's copy."""
        stranger = Client()
        assert stranger.get(f"/order/{demo.pk}/buy").status_code == 200
        copy = copy_paid_by(stranger)
        assert Payment.objects.get().order == copy

    def test_a_paid_copy_is_not_offered_again(self, demo, stripe_accounts):
        """Once their copy is paid, the stranger's next Pay makes a fresh copy."""
        stranger = Client()
        pay(stranger, demo)
        first = copy_paid_by(stranger)
        Order.objects.filter(pk=first.pk).update(status=OrderStatus.PAID)
        pay(stranger, demo)
        assert Order.objects.exclude(pk__in=[demo.pk, first.pk]).count() == 1

    def test_other_orders_are_paid_as_they_are(self, client, stripe_accounts):
        """A buyer's own order is paid itself, no copy."""
        order = make_order()
        pay(client, order)
        assert Order.objects.count() == 1
        assert Payment.objects.get().order == order
