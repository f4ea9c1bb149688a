"""Checkout totals (https://docs.stripe.com/billing/taxes/tax-rates), in integer minor units.

1. Line subtotal ``s_i = unit_amount * quantity`` (inclusive tax stays inside it).
2. One session discount ``D``: percent-off ``round_half_up(sum s_i * P / 100)``, amount-off
   ``min(A, sum s_i)``; spread over the lines in proportion to ``s_i`` by largest remainder
   (floor each share, leftover units to the largest fractional parts, ties to the earlier line).
3. Per line and per rate, on the discounted amount ``n_i = s_i - d_i``, rounded half-up:
   exclusive ``n_i * p / 100``; inclusive ``n_i * p / (100 + sum inclusive p)``. Exclusive rates on
   a line that also has inclusive ones apply to the tax-exclusive base ``n_i - inclusive tax``.
4. Line total ``n_i + exclusive tax``; session tax counts inclusive tax too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Rate:
    id: str
    percentage: Decimal
    inclusive: bool


@dataclass(frozen=True)
class Line:
    subtotal: int
    rates: tuple[Rate, ...] = ()


@dataclass(frozen=True)
class Coupon:
    percent_off: Decimal | None = None
    amount_off: int | None = None


@dataclass(frozen=True)
class Tax:
    rate: Rate
    amount: int
    taxable_amount: int


@dataclass(frozen=True)
class LineTotals:
    subtotal: int
    discount: int
    tax: int
    total: int
    taxes: tuple[Tax, ...]


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineTotals, ...]
    subtotal: int
    discount: int
    tax: int
    total: int


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compute(lines: list[Line], coupon: Coupon | None = None) -> Totals:
    subtotal = sum(line.subtotal for line in lines)
    discounts = allocate(discount_amount(subtotal, coupon), [line.subtotal for line in lines])
    computed = tuple(_line_totals(line, d) for line, d in zip(lines, discounts, strict=True))
    return Totals(
        lines=computed,
        subtotal=subtotal,
        discount=sum(line.discount for line in computed),
        tax=sum(line.tax for line in computed),
        total=sum(line.total for line in computed),
    )


def discount_amount(subtotal: int, coupon: Coupon | None) -> int:
    if coupon is None:
        return 0
    if coupon.percent_off is not None:
        return round_half_up(Decimal(subtotal) * coupon.percent_off / 100)
    return min(coupon.amount_off or 0, subtotal)


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights``, largest remainder, ties to earlier lines."""
    weight_sum = sum(weights)
    if total == 0 or weight_sum == 0:
        return [0] * len(weights)
    exact = [Decimal(total) * weight / weight_sum for weight in weights]
    shares = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    leftover = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in order[:leftover]:
        shares[index] += 1
    return shares


def _line_totals(line: Line, discount: int) -> LineTotals:
    net = line.subtotal - discount
    inclusive = [rate for rate in line.rates if rate.inclusive]
    inclusive_percent = sum((rate.percentage for rate in inclusive), Decimal(0))
    inclusive_taxes = [
        round_half_up(Decimal(net) * rate.percentage / (100 + inclusive_percent))
        for rate in inclusive
    ]
    base = net - sum(inclusive_taxes)
    taxes: list[Tax] = []
    inclusive_iter = iter(inclusive_taxes)
    exclusive_total = 0
    for rate in line.rates:
        if rate.inclusive:
            taxes.append(Tax(rate, next(inclusive_iter), base))
        else:
            amount = round_half_up(Decimal(base) * rate.percentage / 100)
            exclusive_total += amount
            taxes.append(Tax(rate, amount, base))
    return LineTotals(
        subtotal=line.subtotal,
        discount=discount,
        tax=sum(tax.amount for tax in taxes),
        total=net + exclusive_total,
        taxes=tuple(taxes),
    )
