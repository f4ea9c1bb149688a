"""create_order and get_order_with_lines: safe order building, fixed query counts."""

from decimal import Decimal

import pytest

from catalog.models import Order, OrderStatus
from catalog.services import OrderError, create_order, get_order_with_lines
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_percent_discount,
    make_tax,
)
from catalog.totals import compute_order_totals

pytestmark = pytest.mark.django_db


class TestCreateOrder:
    def test_creates_open_order_in_items_currency(self):
        """An order takes its items' currency, discount, tax and the buyer's session."""
        cup, pot = make_item(currency="eur"), make_item(name="Teapot", currency="eur")
        discount, tax = make_percent_discount(), make_tax()
        order = create_order(
            lines=[(cup, 2), (pot, 1)], discount=discount, tax=tax, session_key="abc"
        )
        assert (order.currency, order.discount, order.tax) == ("eur", discount, tax)
        assert (order.status, order.session_key) == (OrderStatus.OPEN, "abc")
        assert [(line.item, line.quantity) for line in order.lines.all()] == [(cup, 2), (pot, 1)]

    def test_line_keeps_the_price_it_was_ordered_at(self):
        """A later change of an item's price does not change an order already placed."""
        cup = make_item(price="15.00")
        order = create_order(lines=[(cup, 2)])
        cup.price = Decimal("99.00")
        cup.save()
        assert compute_order_totals(get_order_with_lines(order.pk)).total == 3000

    def test_same_item_twice_is_one_line(self):
        """An item given twice becomes one line with the quantities added."""
        cup = make_item()
        order = create_order(lines=[(cup, 2), (cup, 3)])
        assert [(line.item, line.quantity) for line in order.lines.all()] == [(cup, 5)]

    def test_empty(self):
        """An order needs an item."""
        with pytest.raises(OrderError, match="at least one item"):
            create_order(lines=[])

    @pytest.mark.parametrize("quantity", [0, -1, 1000])
    def test_quantity_range(self, quantity):
        """A quantity outside 1..999 is refused with the item's name."""
        with pytest.raises(OrderError) as caught:
            create_order(lines=[(make_item(), quantity)])
        assert str(caught.value) == "The quantity of Tea cup must be between 1 and 999."

    def test_merged_quantity_over_maximum(self):
        """Two lines of the same item may not add up past the maximum."""
        cup = make_item()
        with pytest.raises(OrderError, match="between 1 and 999"):
            create_order(lines=[(cup, 600), (cup, 400)])

    def test_mixed_currencies(self):
        """Items in two currencies cannot share an order."""
        lines = [(make_item(), 1), (make_item(name="Croissant", currency="eur"), 1)]
        with pytest.raises(OrderError) as caught:
            create_order(lines=lines)
        assert caught.value.message == (
            "An order holds one currency only: Croissant is priced in EUR, this order is in USD."
        )

    def test_discount_in_other_currency(self):
        """An amount-off discount in another currency is refused."""
        with pytest.raises(OrderError, match=r"^This discount is in EUR; the order is in USD\.$"):
            create_order(lines=[(make_item(), 1)], discount=make_amount_discount(currency="eur"))

    def test_inactive_discount(self):
        """A discount switched off cannot be used any more."""
        discount = make_percent_discount()
        discount.active = False
        discount.save()
        with pytest.raises(OrderError, match="no longer available"):
            create_order(lines=[(make_item(), 1)], discount=discount)

    def test_refusal_leaves_nothing_behind(self):
        """A refused order writes no rows."""
        with pytest.raises(OrderError):
            create_order(lines=[(make_item(), 1), (make_item(currency="eur"), 1)])
        assert not Order.objects.exists()

    def test_unsaved_item_is_a_programming_error(self):
        """An unsaved item is the caller's bug, not a buyer's mistake."""
        from decimal import Decimal

        from catalog.models import Item

        with pytest.raises(ValueError, match="not saved"):
            create_order(lines=[(Item(name="x", price=Decimal(1), currency="usd"), 1)])


class TestOrderWithLines:
    @pytest.mark.parametrize("count", [1, 10, 100])
    def test_fixed_queries(self, count, django_assert_num_queries):
        """Order, discount, tax, lines and items load in two queries for any number of lines."""
        items = [make_item(name=f"Item {n:03}", price="1.00") for n in range(count)]
        order = create_order(
            lines=[(item, 1) for item in items], discount=make_percent_discount(), tax=make_tax()
        )
        with django_assert_num_queries(2):
            loaded = get_order_with_lines(order.pk)
            names = [line.item.name for line in loaded.lines.all()]
            assert str(loaded.discount) == "Autumn sale (20% off)"
            assert str(loaded.tax) == "VAT 20% (exclusive)"
        assert names == [item.name for item in items]

    def test_missing(self):
        """An unknown order raises Order.DoesNotExist."""
        with pytest.raises(Order.DoesNotExist):
            get_order_with_lines(12345)
