"""Order totals: worked examples, edge cases and the Django adapter (properties against an
independent reference: test_totals_properties.py)."""

from decimal import Decimal

import pytest

from catalog.services import get_order_with_lines
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.totals import (
    DiscountInput,
    LineInput,
    TaxInput,
    Totals,
    allocate,
    compute_order_totals,
    compute_totals,
)

A_LINES = [LineInput("Tea cup", 1500, 2), LineInput("Teapot", 999, 1)]
TWENTY_PERCENT = DiscountInput(percent_off=Decimal(20), amount_off=None)


def figures(totals: Totals) -> tuple[int, int, int, int]:
    return totals.subtotal, totals.discount, totals.tax, totals.total


def line_figures(totals: Totals, name: str) -> list[int]:
    return [getattr(line, name) for line in totals.lines]


class TestWorkedExamples:
    """Four worked examples of the rounding rule (catalog/totals.py), to the cent."""

    def test_a_percent_coupon_remainder_to_largest_fraction(self):
        """A: 20% of 3999 is 800; 600.15/199.85 gives the leftover cent to line 2."""
        totals = compute_totals(currency="usd", lines=A_LINES, discount=TWENTY_PERCENT, tax=None)
        assert line_figures(totals, "discount") == [600, 200]
        assert figures(totals) == (3999, 800, 0, 3199)

    def test_b_exclusive_tax_on_discounted_lines(self):
        """B: 8.25% exclusive on 2400 and 799 is 198 and 66 (65.9175 rounds up)."""
        tax = TaxInput(percentage=Decimal("8.25"), inclusive=False)
        totals = compute_totals(currency="usd", lines=A_LINES, discount=TWENTY_PERCENT, tax=tax)
        assert line_figures(totals, "tax") == [198, 66]
        assert line_figures(totals, "total") == [2598, 865]
        assert figures(totals) == (3999, 800, 264, 3463)
        assert totals.exclusive_tax == 264

    def test_c_inclusive_tax_leaves_total(self):
        """C: 20% inclusive in 1000 is 167 (166.67) and the total stays 1000."""
        tax = TaxInput(percentage=Decimal(20), inclusive=True)
        lines = [LineInput("Lamp", 1000, 1)]
        totals = compute_totals(currency="usd", lines=lines, discount=None, tax=tax)
        assert figures(totals) == (1000, 0, 167, 1000)
        assert totals.exclusive_tax == 0

    def test_d_amount_off_with_inclusive_tax(self):
        """D: 600 off 1000+3000 is 150/450; inclusive 20% then 142 and 425."""
        tax = TaxInput(percentage=Decimal(20), inclusive=True)
        lines = [LineInput("Lamp", 1000, 1), LineInput("Desk", 3000, 1)]
        discount = DiscountInput(percent_off=None, amount_off=600)
        totals = compute_totals(currency="usd", lines=lines, discount=discount, tax=tax)
        assert line_figures(totals, "discount") == [150, 450]
        assert line_figures(totals, "tax") == [142, 425]
        assert figures(totals) == (4000, 600, 567, 3400)


class TestEdges:
    def test_no_discount_no_tax(self):
        """Without coupon or tax the total is the sum of unit price times quantity."""
        totals = compute_totals(currency="eur", lines=A_LINES, discount=None, tax=None)
        assert figures(totals) == (3999, 0, 0, 3999)

    def test_jpy_whole_yen(self):
        """JPY amounts are whole yen: 10% of 1234 yen is 123 (123.4), 8% tax on 1111 is 89."""
        lines = [LineInput("Matcha", 1234, 1)]
        discount = DiscountInput(percent_off=Decimal(10), amount_off=None)
        tax = TaxInput(percentage=Decimal(8), inclusive=False)
        totals = compute_totals(currency="jpy", lines=lines, discount=discount, tax=tax)
        assert figures(totals) == (1234, 123, 89, 1200)
        assert totals.currency == "jpy"

    def test_half_cent_discount_rounds_up(self):
        """A discount of exactly half a cent (50% of 1) rounds up to 1."""
        discount = DiscountInput(percent_off=Decimal(50), amount_off=None)
        totals = compute_totals(
            currency="usd", lines=[LineInput("Sticker", 1, 1)], discount=discount, tax=None
        )
        assert figures(totals) == (1, 1, 0, 0)

    def test_half_cent_tax_rounds_up(self):
        """Tax of exactly half a cent per line (5% of 10) rounds up, per line, then sums."""
        tax = TaxInput(percentage=Decimal(5), inclusive=False)
        lines = [LineInput("Pin", 10, 1), LineInput("Badge", 10, 1)]
        totals = compute_totals(currency="usd", lines=lines, discount=None, tax=tax)
        assert line_figures(totals, "tax") == [1, 1]
        assert figures(totals) == (20, 0, 2, 22)

    def test_tie_goes_to_the_earlier_line(self):
        """An odd cent over two equal lines goes to the first line."""
        lines = [LineInput("Left", 1000, 1), LineInput("Right", 1000, 1)]
        discount = DiscountInput(percent_off=None, amount_off=1)
        totals = compute_totals(currency="usd", lines=lines, discount=discount, tax=None)
        assert line_figures(totals, "discount") == [1, 0]

    def test_amount_off_larger_than_subtotal(self):
        """An amount off above the subtotal takes the subtotal to zero, no further."""
        tax = TaxInput(percentage=Decimal(20), inclusive=False)
        discount = DiscountInput(percent_off=None, amount_off=10_000)
        totals = compute_totals(currency="usd", lines=A_LINES, discount=discount, tax=tax)
        assert figures(totals) == (3999, 3999, 0, 0)
        assert line_figures(totals, "total") == [0, 0]

    def test_hundred_percent_off(self):
        """100% off makes everything zero."""
        discount = DiscountInput(percent_off=Decimal(100), amount_off=None)
        totals = compute_totals(currency="usd", lines=A_LINES, discount=discount, tax=None)
        assert figures(totals) == (3999, 3999, 0, 0)

    def test_quantity_multiplies_before_discount(self):
        """Line subtotal is unit amount times quantity, and the line keeps both."""
        totals = compute_totals(currency="usd", lines=A_LINES, discount=None, tax=None)
        first = totals.lines[0]
        assert (first.description, first.unit_amount, first.quantity) == ("Tea cup", 1500, 2)
        assert first.subtotal == 3000

    def test_no_lines(self):
        """An empty cart totals zero, even with a coupon."""
        discount = DiscountInput(percent_off=None, amount_off=500)
        totals = compute_totals(currency="usd", lines=[], discount=discount, tax=None)
        assert figures(totals) == (0, 0, 0, 0)
        assert totals.lines == ()

    @pytest.mark.parametrize(
        ("lines", "discount", "tax", "message"),
        [
            ([LineInput("x", 100, 0)], None, None, "quantity"),
            ([LineInput("x", -1, 1)], None, None, "unit_amount"),
            (A_LINES, DiscountInput(None, None), None, "exactly one"),
            (A_LINES, DiscountInput(Decimal(10), 100), None, "exactly one"),
            (A_LINES, DiscountInput(Decimal(0), None), None, "percent_off"),
            (A_LINES, DiscountInput(Decimal("100.01"), None), None, "percent_off"),
            (A_LINES, DiscountInput(None, 0), None, "amount_off"),
            (A_LINES, None, TaxInput(Decimal(0), False), "tax percentage"),
            (A_LINES, None, TaxInput(Decimal(101), True), "tax percentage"),
        ],
    )
    def test_refuses_inputs_stripe_refuses(self, lines, discount, tax, message):
        """Inputs Stripe would reject raise ValueError instead of producing a total."""
        with pytest.raises(ValueError, match=message):
            compute_totals(currency="usd", lines=lines, discount=discount, tax=tax)

    def test_allocate_exact_split(self):
        """allocate spreads exactly, by largest remainder."""
        assert allocate(10, [1, 1, 1]) == [4, 3, 3]
        assert allocate(0, [5, 5]) == [0, 0]
        assert allocate(7, [0, 0]) == [0, 0]


# --- The Django adapter -------------------------------------------------------------------


@pytest.mark.django_db
class TestOrderTotals:
    def test_example_b_from_rows(self):
        """An order of rows gives the same figures as example B."""
        cup = make_item(name="Tea cup", price="15.00")
        pot = make_item(name="Teapot", price="9.99")
        order = make_order(
            lines=[(cup, 2), (pot, 1)],
            discount=make_percent_discount(percent="20"),
            tax=make_tax(percentage="8.25"),
        )
        totals = compute_order_totals(get_order_with_lines(order.pk))
        assert figures(totals) == (3999, 800, 264, 3463)
        assert [line.description for line in totals.lines] == ["Tea cup", "Teapot"]

    def test_amount_discount_and_jpy(self):
        """An amount-off discount in JPY is whole yen, not hundredths."""
        bowl = make_item(name="Bowl", price="1200", currency="jpy")
        discount = make_amount_discount(amount="300", currency="jpy")
        order = make_order(lines=[(bowl, 2)], discount=discount)
        assert figures(compute_order_totals(get_order_with_lines(order.pk))) == (2400, 300, 0, 2100)

    def test_lines_in_primary_key_order(self):
        """Lines are totalled in primary-key order, whatever order the prefetch returned."""
        first = make_item(name="Zebra mug", price="10.00")
        second = make_item(name="Apple mug", price="10.00")
        discount = make_amount_discount(amount="0.01")
        order = make_order(lines=[(first, 1), (second, 1)], discount=discount)
        totals = compute_order_totals(get_order_with_lines(order.pk))
        assert [line.description for line in totals.lines] == ["Zebra mug", "Apple mug"]
        assert line_figures(totals, "discount") == [1, 0]

    def test_no_query_per_line(self, django_assert_num_queries):
        """Loading and totalling an order of 30 lines takes two queries, none per line."""
        items = [make_item(name=f"Item {n}", price="1.00") for n in range(30)]
        order = make_order(
            lines=[(item, 1) for item in items], discount=make_percent_discount(), tax=make_tax()
        )
        with django_assert_num_queries(2):
            totals = compute_order_totals(get_order_with_lines(order.pk))
        assert len(totals.lines) == 30
