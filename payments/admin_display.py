"""How the admin shows payments: money with its currency, Stripe ids short enough for a list,
and a link to the payment in the Stripe Dashboard when the shop talks to Stripe itself."""

from __future__ import annotations

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from payments.gateway.accounts import is_live
from payments.models import Payment
from payments.refunds import paid_intent_id

STRIPE_API_BASE = "https://api.stripe.com"
DASHBOARD = "https://dashboard.stripe.com"

# Ids longer than this are cut in lists: a Checkout Session id is 66 characters.
SHORT_ID_LENGTH = 16


def short_id(stripe_id: str) -> SafeString | str:
    """`cs_test_a1kKlJ6J…Xy9z` with the whole id in a tooltip; short ids as they are."""
    if len(stripe_id) <= SHORT_ID_LENGTH:
        return stripe_id
    return format_html(
        '<span title="{}">{}…{}</span>', stripe_id, stripe_id[: SHORT_ID_LENGTH - 4], stripe_id[-4:]
    )


def dashboard_url(payment: Payment) -> str:
    """The payment's page in the Stripe Dashboard (its test-mode page for test keys); "" with
    the emulator, whose ids mean nothing to the Dashboard, or before there is a PaymentIntent."""
    if settings.STRIPE_API_BASE.rstrip("/") != STRIPE_API_BASE:
        return ""
    intent_id = paid_intent_id(payment)
    if not intent_id:
        return ""
    mode = "" if is_live(payment.account) else "/test"
    return f"{DASHBOARD}{mode}/payments/{intent_id}"
