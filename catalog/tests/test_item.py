"""Item rules (catalog/models/item.py): clean() messages for forms, and the database
constraints behind them."""

from decimal import Decimal

import pytest

from catalog.models import Item
from catalog.tests.factories import (
    make_item,
    make_order,
)
from catalog.tests.helpers import errors_of, violates_constraint

pytestmark = pytest.mark.django_db


class TestItem:
    def test_valid_item_and_minor_units(self):
        """A valid item saves; price_minor is its price in integer minor units."""
        item = make_item(price="19.99")
        assert item.price_minor == 1999
        assert str(item) == "Tea cup"

    @pytest.mark.parametrize("price", ["0", "-1.00"])
    def test_price_must_be_positive(self, price):
        """A zero or negative price is a price-field error."""
        item = Item(name="Free", price=Decimal(price), currency="usd")
        assert errors_of(item) == {"price": ["The price must be greater than zero."]}

    def test_jpy_price_must_be_whole(self):
        """A JPY price with a fraction is refused with a message saying why."""
        item = Item(name="Bowl", price=Decimal("1200.50"), currency="jpy")
        assert errors_of(item) == {"price": ["JPY has no minor unit: use a whole number."]}

    def test_jpy_whole_price_is_fine(self):
        """1200.00 JPY is a whole number of yen and is accepted as 1200 minor units."""
        assert make_item(price="1200.00", currency="jpy").price_minor == 1200

    def test_price_above_stripe_maximum(self):
        """A USD price above 999,999.99 is refused; JPY allows up to 9,999,999,999."""
        item = Item(name="Yacht", price=Decimal("1000000.00"), currency="usd")
        assert errors_of(item) == {"price": ["Stripe accepts at most 999999.99 USD."]}
        assert make_item(price="9999999999", currency="jpy").price_minor == 9_999_999_999
        too_much = Item(name="Castle", price=Decimal("10000000000"), currency="jpy")
        assert "price" in errors_of(too_much)

    def test_stripe_maximum_itself_is_fine(self):
        """Exactly 999,999.99 USD is chargeable and passes the database check too."""
        assert make_item(price="999999.99").price_minor == 99_999_999

    def test_ordered_item_keeps_its_currency(self):
        """An item in an order cannot change currency (the order would mix currencies)."""
        item = make_order().lines.get().item
        item.currency = "eur"
        assert errors_of(item) == {
            "currency": [
                "Orders in USD contain this item, so its currency cannot change."
                " Add a new item instead."
            ]
        }
        item.currency, item.price = "usd", Decimal("17.00")
        item.full_clean()  # the price may change

    def test_database_refuses_unchargeable_prices(self):
        """The database refuses a fractional yen price and one above Stripe's maximum."""
        assert violates_constraint(Item.objects, name="x", price=Decimal("1.5"), currency="jpy")
        assert violates_constraint(Item.objects, name="x", price=Decimal(1_000_000), currency="usd")

    def test_unknown_currency(self):
        """A currency outside the choices is a currency-field error, not a crash."""
        item = Item(name="Cup", price=Decimal("1.00"), currency="xyz")
        assert "currency" in errors_of(item)

    def test_database_refuses_non_positive_price(self):
        """The database itself refuses a price of zero and an unsupported currency."""
        assert violates_constraint(Item.objects, name="x", price=Decimal(0), currency="usd")
        assert violates_constraint(Item.objects, name="x", price=Decimal(1), currency="cad")

    def test_ordering_by_name(self):
        """Items are listed by name."""
        make_item(name="B")
        make_item(name="A")
        assert [item.name for item in Item.objects.all()] == ["A", "B"]
