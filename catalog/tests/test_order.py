"""Order and order-line rules (catalog/models/order.py): clean() messages, visibility, and
the database constraints behind them."""

import pytest

from catalog.models import DEMO_SESSION_KEY, Order, OrderLine, OrderStatus
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.tests.helpers import errors_of, violates_constraint

pytestmark = pytest.mark.django_db


class TestOrder:
    def test_defaults_and_str(self):
        """A new order is open and is called by its number."""
        order = make_order()
        assert order.status == OrderStatus.OPEN
        assert str(order) == f"Order #{order.pk}"
        assert str(Order(currency="usd")) == "New order"

    def test_discount_in_other_currency(self):
        """An amount-off discount must be in the order's currency."""
        order = Order(currency="usd", discount=make_amount_discount(currency="eur"))
        assert errors_of(order) == {"discount": ["This discount is in EUR; the order is in USD."]}

    def test_percent_discount_any_currency(self):
        """A percent discount fits an order in any currency."""
        Order(currency="jpy", discount=make_percent_discount()).full_clean()

    def test_newest_first(self):
        """Orders are listed newest first."""
        older, newer = make_order(), make_order()
        assert list(Order.objects.all()) == [newer, older]

    def test_protects_discount_tax_and_items(self):
        """A discount, tax or item used by an order cannot be deleted."""
        from django.db.models import ProtectedError

        discount, tax, item = make_percent_discount(), make_tax(), make_item()
        make_order(lines=[(item, 1)], discount=discount, tax=tax)
        for row in (discount, tax, item):
            with pytest.raises(ProtectedError):
                row.delete()

    def test_database_refuses_unknown_status(self):
        """A status outside OrderStatus is refused by the database."""
        assert violates_constraint(Order.objects, currency="usd", status="shipped")

    @pytest.mark.parametrize(
        ("status", "payable"),
        [
            (OrderStatus.OPEN, True),
            (OrderStatus.FAILED, True),
            (OrderStatus.CANCELED, True),
            (OrderStatus.PROCESSING, False),
            (OrderStatus.PAID, False),
        ],
    )
    def test_is_payable_unless_paid_or_being_paid(self, status, payable):
        """Open, failed and canceled orders (nothing charged) may be paid; paid and processing
        ones may not."""
        assert Order(currency="usd", status=status).is_payable is payable

    @pytest.mark.parametrize(
        ("owner", "visitor", "is_staff", "visible"),
        [
            ("buyer-session", "buyer-session", False, True),
            ("buyer-session", "other-session", False, False),
            ("buyer-session", None, False, False),
            ("buyer-session", None, True, True),
            ("", None, False, False),
            ("", "", False, False),
            ("", "other-session", False, False),
            ("", None, True, True),
            (DEMO_SESSION_KEY, "other-session", False, True),
            (DEMO_SESSION_KEY, None, False, True),
        ],
    )
    def test_is_visible_to_its_session_staff_and_anyone_for_the_demo_order(
        self, owner, visitor, is_staff, visible
    ):
        """Its own session and staff see an order; anyone sees the demo order; an admin-made
        order (no session) is for staff only."""
        order = Order(currency="usd", session_key=owner)
        assert order.is_visible_to(session_key=visitor, is_staff=is_staff) is visible


class TestOrderLine:
    def test_str(self):
        """A line reads as quantity times item."""
        assert str(make_order().lines.get()) == "2 × Tea cup"  # noqa: RUF001

    def test_item_in_other_currency(self):
        """An item priced in another currency is an item-field error."""
        order = make_order()
        line = OrderLine(order=order, item=make_item(name="Croissant", currency="eur"))
        assert errors_of(line) == {
            "item": [
                "An order holds one currency only: Croissant is priced in EUR,"
                " this order is in USD."
            ]
        }

    @pytest.mark.parametrize("quantity", [0, 1000])
    def test_quantity_range(self, quantity):
        """The quantity is between 1 and 999, in clean() and in the database."""
        order = make_order()
        line = OrderLine(order=order, item=make_item(name="Spoon"), quantity=quantity)
        assert "quantity" in errors_of(line)
        assert violates_constraint(
            OrderLine.objects, order=order, item=line.item, quantity=quantity
        )

    def test_item_once_per_order(self):
        """The same item appears once per order (quantities say how many)."""
        order = make_order()
        item = order.lines.get().item
        assert "__all__" in errors_of(OrderLine(order=order, item=item, quantity=1))
        assert violates_constraint(OrderLine.objects, order=order, item=item, quantity=1)

    def test_line_without_order_reports_field(self):
        """A line missing its order gets a field error, not an exception from clean()."""
        assert "order" in errors_of(OrderLine(item=make_item(), quantity=1))
