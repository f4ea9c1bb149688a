"""The shop's order totals against the Stripe emulator's Checkout totals (the emulator is the
offline stand-in for Stripe, so this lives outside the catalog, which never imports it)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from catalog.tests.strategies import amounts, line_lists, percents, tax_rates
from catalog.totals import DiscountInput, LineInput, TaxInput, compute_totals
from stripe_emulator import totals as checkout


@given(
    lines=line_lists,
    percent=percents,
    amount=amounts,
    use_amount=st.booleans(),
    rate=tax_rates,
    inclusive=st.booleans(),
)
def test_matches_the_emulators_checkout(lines, percent, amount, use_amount, rate, inclusive):
    """The shop's totals equal the offline Stripe emulator's Checkout totals, line by line."""
    percent_off = None if use_amount or percent is None else Decimal(percent).scaleb(-2)
    amount_off = amount if use_amount else None
    tax = None if rate is None else TaxInput(Decimal(rate).scaleb(-4), inclusive)
    rates = () if tax is None else (checkout.Rate("txr_1", tax.percentage, tax.inclusive),)
    coupon = None
    if percent_off is not None or amount_off is not None:
        coupon = checkout.Coupon(percent_off=percent_off, amount_off=amount_off)
    theirs = checkout.compute(
        [checkout.Line(subtotal=unit * quantity, rates=rates) for _d, unit, quantity in lines],
        coupon,
    )
    ours = compute_totals(
        currency="usd",
        lines=[LineInput(*line) for line in lines],
        discount=None if coupon is None else DiscountInput(percent_off, amount_off),
        tax=tax,
    )
    assert [(x.subtotal, x.discount, x.tax, x.total) for x in ours.lines] == [
        (x.subtotal, x.discount, x.tax, x.total) for x in theirs.lines
    ]
    assert (ours.subtotal, ours.discount, ours.tax, ours.total) == (
        theirs.subtotal,
        theirs.discount,
        theirs.tax,
        theirs.total,
    )
