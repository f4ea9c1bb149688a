# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Checkout totals (https://docs.stripe.com/billing/taxes/tax-rates) on plain numbers."""

from decimal import Decimal

from stripe_emulator.totals import Coupon, Line, Rate, allocate, compute, round_half_up

VAT_825 = Rate("txr_a", Decimal("8.25"), inclusive=False)
INCL_20 = Rate("txr_b", Decimal("20"), inclusive=True)


class TestWorkedExamples:
    def test_a_percent_coupon_without_tax(self) -> None:
        """Example A: 20 % of 3999 is 799.8 -> 800, spread 600 / 200 by largest remainder."""
        result = compute([Line(3000), Line(999)], Coupon(percent_off=Decimal(20)))
        assert [line.discount for line in result.lines] == [600, 200]
        assert (result.subtotal, result.discount, result.tax, result.total) == (3999, 800, 0, 3199)

    def test_b_percent_coupon_with_exclusive_tax(self) -> None:
        """Example B: 8.25 % exclusive on the discounted lines, rounded per line."""
        result = compute(
            [Line(3000, (VAT_825,)), Line(999, (VAT_825,))], Coupon(percent_off=Decimal(20))
        )
        assert [line.tax for line in result.lines] == [198, 66]
        assert (result.subtotal, result.discount, result.tax, result.total) == (
            3999, 800, 264, 3463,
        )  # fmt: skip

    def test_c_inclusive_tax(self) -> None:
        """Example C: 20 % inclusive in 1000 is 166.67 -> 167, taxable 833, total unchanged."""
        result = compute([Line(1000, (INCL_20,))])
        assert result.lines[0].taxes[0].taxable_amount == 833
        assert (result.subtotal, result.discount, result.tax, result.total) == (1000, 0, 167, 1000)

    def test_d_amount_coupon_with_inclusive_tax(self) -> None:
        """Example D: 600 off over 1000 + 3000 is 150 / 450; inclusive tax 142 + 425."""
        result = compute([Line(1000, (INCL_20,)), Line(3000, (INCL_20,))], Coupon(amount_off=600))
        assert [line.discount for line in result.lines] == [150, 450]
        assert [line.tax for line in result.lines] == [142, 425]
        assert (result.subtotal, result.discount, result.tax, result.total) == (
            4000, 600, 567, 3400,
        )  # fmt: skip


class TestRules:
    def test_amount_coupon_is_capped_at_subtotal(self) -> None:
        """An amount-off coupon larger than the order makes the total zero, not negative."""
        result = compute([Line(300)], Coupon(amount_off=1000))
        assert (result.discount, result.total) == (300, 0)

    def test_zero_decimal_yen(self) -> None:
        """JPY amounts are whole yen: 10 % of 1999 yen rounds half-up to 200."""
        result = compute(
            [Line(1999, (Rate("txr_j", Decimal(10), False),))], Coupon(percent_off=Decimal(10))
        )
        assert (result.discount, result.tax, result.total) == (200, 180, 1979)

    def test_mixed_inclusive_and_exclusive_rates(self) -> None:
        """Exclusive rates apply to the tax-exclusive base of a line with inclusive tax."""
        result = compute([Line(1200, (INCL_20, Rate("txr_x", Decimal(10), False)))])
        line = result.lines[0]
        assert [t.amount for t in line.taxes] == [200, 100]
        assert line.total == 1300

    def test_allocation_ties_go_to_earlier_line(self) -> None:
        """Equal remainders: the leftover unit goes to the earlier line."""
        assert allocate(1, [100, 100]) == [1, 0]

    def test_allocation_sums_to_total(self) -> None:
        """Largest remainder never loses or invents a unit."""
        assert sum(allocate(101, [333, 333, 334])) == 101

    def test_round_half_up(self) -> None:
        """Half a unit rounds up, not to even."""
        assert [round_half_up(Decimal(x)) for x in ("0.5", "1.5", "2.5", "2.49")] == [1, 2, 3, 2]
