"""Order totals against an independent integer-only reference, and invariants, on generated
orders."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from catalog.tests.strategies import amounts, line_lists, percents, tax_rates
from catalog.totals import (
    DiscountInput,
    LineInput,
    TaxInput,
    compute_totals,
)


def _half_up(numerator: int, denominator: int) -> int:
    """floor(numerator / denominator + 1/2) for non-negative integers, without fractions."""
    return (2 * numerator + denominator) // (2 * denominator)


def reference_totals(
    lines: list[tuple[str, int, int]],
    percent_hundredths: int | None,
    amount_off: int | None,
    tax_ten_thousandths: int | None,
    inclusive: bool,
) -> list[tuple[int, int, int, int]]:
    """The rule of catalog/totals.py again, in scaled integers: percent in 1/100 %, tax rate in
    1/10000 %."""
    subtotals = [unit * quantity for _description, unit, quantity in lines]
    total_subtotal = sum(subtotals)
    if percent_hundredths is not None:
        order_discount = _half_up(total_subtotal * percent_hundredths, 100 * 100)
    elif amount_off is not None:
        order_discount = min(amount_off, total_subtotal)
    else:
        order_discount = 0
    discounts = [0] * len(lines)
    if total_subtotal:
        pieces = [divmod(order_discount * s, total_subtotal) for s in subtotals]
        discounts = [whole for whole, _rest in pieces]
        spare = order_discount - sum(discounts)
        order = sorted(range(len(lines)), key=lambda i: (-pieces[i][1], i))
        for i in order[:spare]:
            discounts[i] += 1
    rows = []
    for s, d in zip(subtotals, discounts, strict=True):
        net = s - d
        if tax_ten_thousandths is None:
            tax, added = 0, 0
        elif inclusive:
            tax, added = _half_up(net * tax_ten_thousandths, 100 * 10_000 + tax_ten_thousandths), 0
        else:
            tax = added = _half_up(net * tax_ten_thousandths, 100 * 10_000)
        rows.append((s, d, tax, net + added))
    return rows


@given(
    lines=line_lists,
    percent=percents,
    amount=amounts,
    use_amount=st.booleans(),
    rate=tax_rates,
    inclusive=st.booleans(),
)
def test_matches_independent_reference(lines, percent, amount, use_amount, rate, inclusive):
    """Every line figure equals an integer-only reimplementation of the rule."""
    amount_off = amount if use_amount else None
    percent_off = None if use_amount else percent
    discount = None
    if amount_off is not None or percent_off is not None:
        discount = DiscountInput(
            percent_off=None if percent_off is None else Decimal(percent_off).scaleb(-2),
            amount_off=amount_off,
        )
    tax = None if rate is None else TaxInput(Decimal(rate).scaleb(-4), inclusive)
    totals = compute_totals(
        currency="usd",
        lines=[LineInput(*line) for line in lines],
        discount=discount,
        tax=tax,
    )
    expected = reference_totals(lines, percent_off, amount_off, rate, inclusive)
    got = [(line.subtotal, line.discount, line.tax, line.total) for line in totals.lines]
    assert got == expected


@given(
    lines=line_lists,
    discount=st.one_of(
        st.none(),
        st.builds(DiscountInput, percent_off=st.none(), amount_off=amounts),
        st.builds(
            DiscountInput,
            percent_off=st.integers(1, 10_000).map(lambda p: Decimal(p).scaleb(-2)),
            amount_off=st.none(),
        ),
    ),
    tax=st.one_of(
        st.none(),
        st.builds(
            TaxInput,
            percentage=st.integers(1, 1_000_000).map(lambda p: Decimal(p).scaleb(-4)),
            inclusive=st.booleans(),
        ),
    ),
)
def test_invariants(lines, discount, tax):
    """Sums add up, nothing is negative, no line loses more than its subtotal."""
    totals = compute_totals(
        currency="eur", lines=[LineInput(*line) for line in lines], discount=discount, tax=tax
    )
    assert totals.discount == sum(line.discount for line in totals.lines)
    assert totals.tax == sum(line.tax for line in totals.lines)
    assert totals.total == sum(line.total for line in totals.lines)
    assert totals.total == totals.subtotal - totals.discount + totals.exclusive_tax
    assert 0 <= totals.discount <= totals.subtotal
    for line in totals.lines:
        assert line.subtotal == line.unit_amount * line.quantity
        assert 0 <= line.discount <= line.subtotal
        assert line.tax >= 0
        assert line.total >= 0
        assert 0 <= line.exclusive_tax <= line.tax
        if totals.subtotal:
            # Each line's share is within one cent of its exact proportional share.
            exact = totals.discount * line.subtotal / totals.subtotal
            assert abs(line.discount - exact) < 1
    if tax is not None and tax.inclusive:
        assert totals.total == totals.subtotal - totals.discount
