"""Discount and tax-rate rules (catalog/models/pricing.py): clean() messages for forms, and
the database constraints behind them."""

from decimal import Decimal

import pytest
from django.utils import translation

from catalog.models import Discount, Tax
from catalog.tests.factories import (
    make_amount_discount,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.tests.helpers import errors_of, violates_constraint

pytestmark = pytest.mark.django_db


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
