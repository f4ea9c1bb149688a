"""Order totals in integer minor units, as Stripe Checkout computes them for the same line
items, coupon and tax rate: the card form's PaymentIntent charges these figures (and sends them
as `amount_details`), so both payment paths charge an order the same amount, to the cent.

What Stripe documents:

* Amounts are integers in the currency's minor unit
  (https://docs.stripe.com/currencies#minor-units).
* A coupon takes `percent_off` or `amount_off` (in the session's currency) off the whole
  subtotal (https://docs.stripe.com/payments/checkout/discounts,
  https://docs.stripe.com/api/coupons/object); each line item reports its share as
  `amount_discount` (https://docs.stripe.com/api/checkout/sessions/line_items).
* A tax rate is inclusive (already in the price) or exclusive (added on top), and each line
  reports its tax as `amount_tax` (https://docs.stripe.com/billing/taxes/tax-rates).

How the shares are rounded, which those pages do not spell out, is this (the examples and
properties in catalog/tests/test_totals*.py pin it; tests/test_checkout_totals.py compares it
with the offline Stripe stand-in's Checkout):

1. line subtotal s = unit_amount * quantity (inclusive tax stays inside s);
2. discount D = round_half_up(Σs * P / 100) for percent P, or min(A, Σs) for amount A, allocated
   to lines in proportion to s by largest remainder (ties go to the earlier line);
3. discounted line amount n = s - d;
4. tax per line, half-up: exclusive n * p / 100; inclusive n * p / (100 + p);
5. line total = n + exclusive tax; the order's tax counts inclusive tax too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from catalog.money import to_minor_units

if TYPE_CHECKING:
    from catalog.models import Order


@dataclass(frozen=True, slots=True)
class LineInput:
    """One order line: a unit price in minor units and a quantity."""

    description: str
    unit_amount: int
    quantity: int


@dataclass(frozen=True, slots=True)
class DiscountInput:
    """A coupon: exactly one of percent_off (0 < P ≤ 100) or amount_off (minor units > 0)."""

    percent_off: Decimal | None
    amount_off: int | None


@dataclass(frozen=True, slots=True)
class TaxInput:
    """A tax rate in percent (0 < p ≤ 100), included in prices or added on top."""

    percentage: Decimal
    inclusive: bool


@dataclass(frozen=True, slots=True)
class LineTotal:
    """One line's figures; `tax` includes inclusive tax, `total` = subtotal - discount + excl."""

    description: str
    unit_amount: int
    quantity: int
    subtotal: int
    discount: int
    tax: int
    total: int

    @property
    def exclusive_tax(self) -> int:
        """Tax added on top of the discounted amount (0 when the rate is inclusive)."""
        return self.total - (self.subtotal - self.discount)


@dataclass(frozen=True, slots=True)
class Totals:
    """An order's figures, each the sum of its lines' figures."""

    currency: str
    lines: tuple[LineTotal, ...]
    subtotal: int
    discount: int
    tax: int
    total: int

    @property
    def exclusive_tax(self) -> int:
        """Tax added on top of the discounted subtotal (0 when the rate is inclusive)."""
        return self.total - (self.subtotal - self.discount)


def _round_half_up(value: Fraction) -> int:
    """Round a non-negative exact value to the nearest integer, halves up (Stripe's rule)."""
    return math.floor(value + Fraction(1, 2))


def _check_inputs(
    lines: Sequence[LineInput], discount: DiscountInput | None, tax: TaxInput | None
) -> None:
    for line in lines:
        if line.unit_amount < 0 or line.quantity < 1:
            raise ValueError(f"invalid line {line!r}: needs unit_amount ≥ 0 and quantity ≥ 1")
    if discount is not None:
        if (discount.percent_off is None) == (discount.amount_off is None):
            raise ValueError("a discount needs exactly one of percent_off and amount_off")
        if discount.percent_off is not None and not 0 < discount.percent_off <= 100:
            raise ValueError(f"percent_off must be in (0, 100], not {discount.percent_off}")
        if discount.amount_off is not None and discount.amount_off <= 0:
            raise ValueError(f"amount_off must be positive, not {discount.amount_off}")
    if tax is not None and not 0 < tax.percentage <= 100:
        raise ValueError(f"tax percentage must be in (0, 100], not {tax.percentage}")


def _order_discount(subtotal: int, discount: DiscountInput | None) -> int:
    if discount is None:
        return 0
    if discount.percent_off is not None:
        return _round_half_up(subtotal * Fraction(discount.percent_off) / 100)
    assert discount.amount_off is not None  # _check_inputs guarantees one of the two
    return min(discount.amount_off, subtotal)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` over `weights` proportionally, by largest remainder (ties: earlier first)."""
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [0] * len(weights)
    shares = [Fraction(total * weight, weight_sum) for weight in weights]
    parts = [math.floor(share) for share in shares]
    leftover = total - sum(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for index in by_remainder[:leftover]:
        parts[index] += 1
    return parts


def _line_tax(amount: int, tax: TaxInput | None) -> tuple[int, int]:
    """Return (tax on the line, part of it added on top) for a discounted line amount."""
    if tax is None:
        return 0, 0
    rate = Fraction(tax.percentage)
    if tax.inclusive:
        return _round_half_up(amount * rate / (100 + rate)), 0
    added = _round_half_up(amount * rate / 100)
    return added, added


def compute_totals(
    *,
    currency: str,
    lines: Sequence[LineInput],
    discount: DiscountInput | None,
    tax: TaxInput | None,
) -> Totals:
    """Compute an order's totals from its lines, coupon and tax rate (rule in the module doc).

    Raises ValueError for inputs Stripe would refuse (quantity < 1, percent outside (0, 100]…).
    """
    _check_inputs(lines, discount, tax)
    subtotals = [line.unit_amount * line.quantity for line in lines]
    line_discounts = allocate(_order_discount(sum(subtotals), discount), subtotals)
    results = []
    for line, subtotal, line_discount in zip(lines, subtotals, line_discounts, strict=True):
        net = subtotal - line_discount
        line_tax, added = _line_tax(net, tax)
        results.append(
            LineTotal(
                description=line.description,
                unit_amount=line.unit_amount,
                quantity=line.quantity,
                subtotal=subtotal,
                discount=line_discount,
                tax=line_tax,
                total=net + added,
            )
        )
    return Totals(
        currency=currency,
        lines=tuple(results),
        subtotal=sum(r.subtotal for r in results),
        discount=sum(r.discount for r in results),
        tax=sum(r.tax for r in results),
        total=sum(r.total for r in results),
    )


def compute_order_totals(order: Order) -> Totals:
    """Compute `order`'s totals from its lines in primary-key order.

    Load the order with `Order.objects.with_lines()` (or `services.get_order_with_lines`) so this
    makes no query per line. `totals.lines[i]` belongs to the i-th line by primary key, the same
    order in which payments sends lines to Stripe (tie-breaking depends on it).
    """
    ordered = sorted(order.lines.all(), key=lambda line: line.pk)
    discount = None
    if order.discount is not None:
        amount_off = order.discount.amount_off
        if amount_off is not None and order.discount.currency != order.currency:
            raise ValueError(f"{order} has a discount in another currency")
        discount = DiscountInput(
            percent_off=order.discount.percent_off,
            amount_off=None if amount_off is None else to_minor_units(amount_off, order.currency),
        )
    tax = None
    if order.tax is not None:
        tax = TaxInput(percentage=order.tax.percentage, inclusive=order.tax.inclusive)
    return compute_totals(
        currency=order.currency,
        lines=[
            LineInput(
                description=line.item.name,
                unit_amount=to_minor_units(line.unit_price, order.currency),
                quantity=line.quantity,
            )
            for line in ordered
        ],
        discount=discount,
        tax=tax,
    )
