"""An order's totals as a PaymentIntent's `amount_details` (payment line items).

Stripe validates that the lines add up to the charged amount
(https://docs.stripe.com/payments/payment-line-items):
``amount = sum(unit_cost * quantity - discount_amount + tax.total_tax_amount)``. That is a
tax-exclusive model, so each line reports its price net of any tax that was included in it:

* no tax or tax added on top: ``unit_cost`` is the item's price, ``discount_amount`` the line's
  share of the coupon, ``tax`` the tax added to the line;
* tax included in the price: ``unit_cost`` is the price net of the included tax, rounded up
  to whole minor units per unit; the few minor units that rounding adds across the quantity
  are reported as discount, so the line still adds up to what the buyer pays, to the cent.

``discount_amount`` must be > 0 when present, so a line without discount leaves it out.
"""

from __future__ import annotations

from stripe.params import (
    PaymentIntentCreateParamsAmountDetails,
    PaymentIntentCreateParamsAmountDetailsLineItem,
)

from catalog.totals import LineTotal, Totals

# Stripe takes at most 200 line items; a longer order sends only its discount and tax totals.
MAX_LINE_ITEMS = 200


def build_amount_details(
    totals: Totals, *, has_tax: bool
) -> PaymentIntentCreateParamsAmountDetails:
    """`amount_details` for a PaymentIntent charging exactly `totals.total`.

    `has_tax` says whether the order carries a tax rate (then every line reports its tax,
    even 0); an order without one sends no tax figures at all.
    """
    if len(totals.lines) > MAX_LINE_ITEMS:
        details: PaymentIntentCreateParamsAmountDetails = {}
        if totals.discount:
            details["discount_amount"] = totals.discount
        if has_tax:
            details["tax"] = {"total_tax_amount": totals.tax}
        return details
    return {"line_items": [_line_item(line, has_tax=has_tax) for line in totals.lines]}


def _line_item(line: LineTotal, *, has_tax: bool) -> PaymentIntentCreateParamsAmountDetailsLineItem:
    included_tax = line.tax - line.exclusive_tax
    net_of_tax = line.total - line.tax  # after discount, without any tax
    if included_tax:
        unit_cost = -(-(line.subtotal - included_tax) // line.quantity)  # ceiling division
    else:
        unit_cost = line.unit_amount
    discount = unit_cost * line.quantity - net_of_tax
    item: PaymentIntentCreateParamsAmountDetailsLineItem = {
        "product_name": line.description,
        "quantity": line.quantity,
        "unit_cost": unit_cost,
    }
    if discount:
        item["discount_amount"] = discount
    if has_tax:
        item["tax"] = {"total_tax_amount": line.tax}
    return item
