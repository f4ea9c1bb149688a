"""Stripe's limits on what one payment may be, checked before Stripe is called.

Amounts: https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts (the figures
are in `catalog.money`, which also bounds prices); Checkout line items:
https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from catalog.language import get_active_language
from catalog.money import MAXIMUM_AMOUNT, MINIMUM_CHARGE, format_money
from catalog.totals import Totals
from payments.exceptions import OrderNotPayable, PaymentsNotConfigured

# Stripe accepts at most 100 line items in a payment-mode Checkout Session.
MAX_CHECKOUT_LINES = 100


def check_limits(totals: Totals, *, checkout: bool = False) -> None:
    """Raise PaymentsNotConfigured for a currency without an account, or OrderNotPayable, with
    a message for the buyer, for a payment Stripe would refuse (`checkout`: a Checkout Session,
    whose line count and coupon are limited too, and whose messages name the total)."""
    if totals.currency not in settings.STRIPE_CURRENCIES:
        raise PaymentsNotConfigured(totals.currency)
    if checkout:
        _check_checkout_content(totals)
    _check_amount(totals, name_total=checkout)


def _check_amount(totals: Totals, *, name_total: bool) -> None:
    currency = totals.currency
    if MINIMUM_CHARGE[currency] <= totals.total <= MAXIMUM_AMOUNT[currency]:
        return  # the figures below are formatted only for a refusal
    language = get_active_language()
    figures = {
        "total": format_money(totals.total, currency, language),
        "minimum": format_money(MINIMUM_CHARGE[currency], currency, language),
        "maximum": format_money(MAXIMUM_AMOUNT[currency], currency, language),
    }
    if totals.total < MINIMUM_CHARGE[currency]:
        below = (
            _("The total, %(total)s, is below %(minimum)s, the smallest payment Stripe accepts.")
            if name_total
            else _("The total is below the smallest amount that can be charged, %(minimum)s.")
        )
        raise OrderNotPayable(below % figures)
    if totals.total > MAXIMUM_AMOUNT[currency]:
        above = (
            _("The total, %(total)s, is above %(maximum)s, the largest payment Stripe accepts.")
            if name_total
            else _("The total is above the largest amount that can be charged, %(maximum)s.")
        )
        raise OrderNotPayable(above % figures)


def _check_checkout_content(totals: Totals) -> None:
    if len(totals.lines) > MAX_CHECKOUT_LINES:
        raise OrderNotPayable(
            _(
                "Stripe Checkout takes at most %(maximum)d different items in one payment; "
                "this order has %(count)d. Please split it into smaller orders."
            )
            % {"maximum": MAX_CHECKOUT_LINES, "count": len(totals.lines)}
        )
    if totals.discount >= totals.subtotal:
        raise OrderNotPayable(
            _("The discount covers the whole order, so there is nothing to pay by card.")
        )
