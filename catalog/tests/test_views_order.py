"""The order page: what it shows, and who may see an order."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from pytest_django.asserts import assertNotContains

from catalog.models import Order, OrderStatus
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.tests.helpers import MINUS, buyer_client, element, session_key, text

pytestmark = pytest.mark.django_db


class TestOrderDetail:
    def test_shows_lines_and_totals_formatted(self, client):
        """Each line's name, unit price, quantity and amount; subtotal and total."""
        cup = make_item(name="Tea cup", price="15.00")
        pot = make_item(name="Teapot", price="40.00")
        order = make_order(lines=[(cup, 2), (pot, 1)])
        response = client.get(f"/order/{order.pk}")
        assert response.status_code == 200
        html = text(response)
        assert f"Order {order.pk}" in html
        assert "Tea cup" in html
        assert "Teapot" in html
        assert "$15.00" in html
        assert "$30.00" in html
        assert "$40.00" in html
        assert "$70.00" in element(html, "order-total")
        assert "Open" in element(html, "order-status")

    def test_shows_discount_rule_and_tax_rate_as_checkout_does(self, client):
        """20% off $100 is $20; 10% tax on the remaining $80 adds $8: total $88. The rows are
        named as Stripe Checkout names them: "Autumn sale (20% off)", "Sales tax (10%)"."""
        item = make_item(price="50.00")
        order = make_order(
            lines=[(item, 2)],
            discount=make_percent_discount(percent="20", name="Autumn sale"),
            tax=make_tax(percentage="10", display_name="Sales tax"),
        )
        html = text(client.get(f"/order/{order.pk}"))
        assert "Autumn sale (20% off)" in html
        assert f"{MINUS}$20.00" in html
        assert "Sales tax (10%)" in html
        assert "+$8.00" in html
        assert "$88.00" in element(html, "order-total")

    def test_inclusive_tax_is_shown_as_included_not_added(self, client):
        """A 20% inclusive VAT on $120 is $20 inside the total, not on top of it."""
        item = make_item(price="120.00")
        order = make_order(lines=[(item, 1)], tax=make_tax(percentage="20", inclusive=True))
        html = text(client.get(f"/order/{order.pk}"))
        assert "$120.00" in element(html, "order-total")
        assert "VAT (20% included)" in html
        assert "$20.00" in html

    def test_amount_discount_is_named(self, client):
        """An amount-off coupon shows its name, its rule and the amount taken off."""
        item = make_item(price="30.00")
        order = make_order(lines=[(item, 1)], discount=make_amount_discount(name="Welcome"))
        html = text(client.get(f"/order/{order.pk}"))
        assert "Welcome ($6.00 off)" in html
        assert f"{MINUS}$6.00" in html
        assert "$24.00" in element(html, "order-total")

    @pytest.mark.parametrize("status", [OrderStatus.OPEN, OrderStatus.FAILED, OrderStatus.CANCELED])
    def test_payable_order_has_pay_button_and_payment_container(self, client, status):
        """Open orders, and failed or canceled ones (nothing was charged: pay again), offer the
        Pay button and #payment."""
        order = make_order()
        order.status = status
        order.save()
        html = text(client.get(f"/order/{order.pk}"))
        assert f'data-order-id="{order.pk}"' in element(html, "pay-button")
        assert re.search(r'<section id="payment"[^>]*\bhidden\b[^>]*></section>', html)

    @pytest.mark.parametrize("status", [OrderStatus.PROCESSING, OrderStatus.PAID])
    def test_order_past_payment_has_no_pay_button(self, client, status):
        """A paid or processing order shows its status and nothing to pay."""
        order = make_order()
        order.status = status
        order.save()
        response = client.get(f"/order/{order.pk}")
        assertNotContains(response, 'id="pay-button"')
        assert str(status.label) in element(text(response), "order-status")


class TestOrderVisibility:
    def test_the_buyer_session_sees_its_order(self):
        """The session that placed an order may view it."""
        client = buyer_client()
        order = make_order(session_key=session_key(client))
        assert client.get(f"/order/{order.pk}").status_code == 200

    def test_another_session_gets_a_404(self):
        """Someone else's order is a 404, so order ids cannot be probed."""
        order = make_order(session_key=session_key(buyer_client()))
        stranger = buyer_client()
        assert stranger.get(f"/order/{order.pk}").status_code == 404
        assert Client().get(f"/order/{order.pk}").status_code == 404

    def test_staff_see_every_order(self):
        """Staff may look at any buyer's order."""
        order = make_order(session_key=session_key(buyer_client()))
        staff = get_user_model().objects.create_user("clerk", password="x", is_staff=True)
        client = Client()
        client.force_login(staff)
        assert client.get(f"/order/{order.pk}").status_code == 200

    def test_orders_made_in_the_admin_are_for_staff_only(self, client, admin_client):
        """An admin-made order (no session) is not public: order numbers are sequential, and
        anyone could open and pay it; staff see it."""
        order = make_order(session_key="")
        assert client.get(f"/order/{order.pk}").status_code == 404
        assert Client().get(f"/order/{order.pk}").status_code == 404
        assert admin_client.get(f"/order/{order.pk}").status_code == 200

    def test_the_demo_order_is_public(self, client, settings):
        """The sample order from load_demo_data (development only) opens for anyone, as the
        README promises."""
        settings.DEBUG = True
        call_command("load_demo_data", stdout=StringIO())
        order = Order.objects.get()
        assert client.get(f"/order/{order.pk}").status_code == 200
