"""The result page as a receipt: the card that paid, asked of Stripe once and kept.

The card's brand and last four digits are on the PaymentIntent's charge
(`payment_method_details.card`), which no status update carries; the receipt asks for it the
first time it shows a succeeded payment and keeps it on the Payment. If Stripe can't be asked
just then, the receipt shows everything else and asks again on the next visit.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _

from catalog.totals import compute_order_totals
from payments.exceptions import PaymentError
from payments.gateway.accounts import get_account
from payments.gateway.charges import retrieve_card_charge
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.payment_intents import PaymentResult

logger = logging.getLogger("payments.receipts")

# How a buyer knows the brands Stripe names in `card.brand`.
BRAND_NAMES = {
    "amex": "American Express",
    "cartes_bancaires": "Cartes Bancaires",
    "diners": "Diners Club",
    "discover": "Discover",
    "eftpos_au": "eftpos",
    "interac": "Interac",
    "jcb": "JCB",
    "link": "Link",
    "mastercard": "Mastercard",
    "unionpay": "UnionPay",
    "visa": "Visa",
}


def format_brand_name(brand: str) -> str:
    """ "Visa" for "visa"; a brand Stripe adds later is shown as Stripe spells it."""
    return BRAND_NAMES.get(brand, brand.replace("_", " ").title() or str(_("Card")))


def remember_card(payment: Payment) -> None:
    """Keep on a succeeded payment the card its charge was made with, if not known yet."""
    intent_id = (
        payment.stripe_id
        if payment.kind == PaymentKind.PAYMENT_INTENT
        else payment.stripe_payment_intent_id
    )
    if payment.status != PaymentStatus.SUCCEEDED or payment.card_last4 or not intent_id:
        return
    try:
        card = retrieve_card_charge(get_account(payment.account), intent_id)
    except PaymentError as error:
        logger.warning("No card for the receipt of %s yet: %s", payment.stripe_id, error.message)
        return
    if card is None:
        return
    payment.card_brand, payment.card_last4, payment.paid_at = card.brand, card.last4, card.paid_at
    # An update of these three columns only: it can't undo a status a webhook just wrote.
    Payment.objects.filter(pk=payment.pk).update(
        card_brand=card.brand[:20], card_last4=card.last4[:4], paid_at=card.paid_at
    )


def build_receipt_context(outcome: PaymentResult) -> dict[str, Any]:
    """The result page's context: the payment, its order and the order's figures."""
    return {
        "payment": outcome.payment,
        "order": outcome.order,
        "totals": compute_order_totals(outcome.order),
        "refreshed": outcome.refreshed,
    }
