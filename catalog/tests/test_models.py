"""Model rules: clean() messages for forms, and the database constraints behind them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from catalog.models import DEMO_SESSION_KEY, Discount, Item, Order, OrderLine, OrderStatus, Tax
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def violates_constraint(manager, **fields) -> bool:
    try:
        with transaction.atomic():
            manager.create(**fields)
    except IntegrityError:
        return True
    return False


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


class TestDiscount:
    def test_str(self):
        """A discount describes itself with its percent or formatted amount."""
        assert str(make_percent_discount(percent="10.00")) == "Autumn sale (10% off)"
        assert str(make_percent_discount(percent="12.50", name="Half")) == "Half (12.5% off)"
        assert str(make_amount_discount(amount="5.00")) == "Welcome ($5.00 off)"

    def test_needs_exactly_one_kind(self):
        """Neither or both of percent and amount off is one error, on percent off."""
        message = {"percent_off": ["Give either a percent off or an amount off (exactly one)."]}
        assert errors_of(Discount(name="None")) == message
        both = Discount(name="Both", percent_off=Decimal(5), amount_off=Decimal(5), currency="usd")
        assert errors_of(both) == message

    @pytest.mark.parametrize("percent", ["0", "100.01", "-5"])
    def test_percent_range(self, percent):
        """Percent off must be in (0, 100]."""
        discount = Discount(name="Odd", percent_off=Decimal(percent))
        assert errors_of(discount) == {
            "percent_off": ["The percent off must be more than 0 and at most 100."]
        }

    def test_hundred_percent_allowed(self):
        """100% off is a valid coupon."""
        make_percent_discount(percent="100")

    def test_percent_without_currency(self):
        """A percent discount applies to every currency, so it takes none."""
        discount = Discount(name="Sale", percent_off=Decimal(10), currency="usd")
        assert errors_of(discount) == {
            "currency": ["A percent off applies to any currency: leave the currency empty."]
        }

    def test_amount_needs_currency(self):
        """An amount off without a currency is a currency-field error."""
        discount = Discount(name="Five", amount_off=Decimal(5))
        assert errors_of(discount) == {"currency": ["An amount off needs a currency."]}

    def test_amount_positive(self):
        """An amount off of zero is refused."""
        discount = Discount(name="Zero", amount_off=Decimal(0), currency="usd")
        assert errors_of(discount) == {"amount_off": ["The amount off must be greater than zero."]}

    def test_amount_fits_currency(self):
        """A JPY amount off must be whole yen."""
        discount = Discount(name="Yen", amount_off=Decimal("100.50"), currency="jpy")
        assert errors_of(discount) == {"amount_off": ["JPY has no minor unit: use a whole number."]}

    def test_used_amount_discount_keeps_its_currency(self):
        """An amount off used by USD orders cannot move to EUR."""
        discount = make_amount_discount()
        make_order(discount=discount)
        discount.currency = "eur"
        assert errors_of(discount) == {
            "currency": [
                "Orders in USD use this discount, so an amount off must stay in USD."
                " Add a new discount instead."
            ]
        }

    @pytest.mark.parametrize(
        "fields",
        [
            {},
            {"amount_off": Decimal("1.5"), "currency": "jpy"},
            {"amount_off": Decimal(1_000_000), "currency": "eur"},
            {"percent_off": Decimal(5), "amount_off": Decimal(5), "currency": "usd"},
            {"percent_off": Decimal(0)},
            {"percent_off": Decimal(101)},
            {"amount_off": Decimal(5)},
            {"amount_off": Decimal(0), "currency": "usd"},
            {"percent_off": Decimal(5), "currency": "usd"},
        ],
    )
    def test_database_mirrors_rules(self, fields):
        """Each discount rule is also a database constraint."""
        assert violates_constraint(Discount.objects, name="Bad", **fields)


class TestTax:
    def test_str(self):
        """A tax rate reads like "VAT 20% (inclusive)"."""
        assert str(make_tax(percentage="20.0000", inclusive=True)) == "VAT 20% (inclusive)"
        assert str(make_tax(percentage="8.25", display_name="Sales tax")) == (
            "Sales tax 8.25% (exclusive)"
        )

    def test_label_names_the_rate_as_checkout_does(self):
        """The label is Checkout's: "Sales tax (8.25%)", "VAT (20% included)"; in Russian the
        decimal comma and «включён в цену»."""
        sales_tax = make_tax(percentage="8.25", display_name="Sales tax")
        vat = make_tax(percentage="20.0000", inclusive=True)
        assert (sales_tax.label, vat.label) == ("Sales tax (8.25%)", "VAT (20% included)")
        with translation.override("ru"):
            assert sales_tax.label == "Sales tax (8,25%)"
            assert vat.label == "VAT (20%, включён в цену)"
            discount = make_percent_discount(percent="12.5", name="Sale")
            assert str(discount) == "Sale (скидка 12,5%)"

    @pytest.mark.parametrize("percentage", ["0", "100.0001", "-1"])
    def test_percentage_range(self, percentage):
        """The percentage must be in (0, 100], as clean() error and as constraint."""
        tax = Tax(display_name="Odd", percentage=Decimal(percentage))
        assert errors_of(tax) == {
            "percentage": ["The percentage must be more than 0 and at most 100."]
        }
        assert violates_constraint(Tax.objects, display_name="Odd", percentage=Decimal(percentage))


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
