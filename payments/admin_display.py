"""How the admin shows payments: money with its currency, Stripe ids short enough for a list,
and a link to the payment in the Stripe Dashboard when the shop talks to Stripe itself."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from payments.gateway.accounts import is_live
from payments.models import Payment
from payments.refunds import get_paid_intent_id

STRIPE_API_BASE = "https://api.stripe.com"
DASHBOARD = "https://dashboard.stripe.com"

# Characters of the random part kept at each end of an id in a list (a Checkout Session id is
# 66 characters; at 1280 px a list has room for about 15).
KEPT = 4


def format_short_id(stripe_id: str) -> SafeString | str:
    """`cs_test_a1kK…Xy9z`: the prefix (which says what it is), the random part's ends, and the
    whole id in a tooltip; ids already that short as they are."""
    prefix, _, random_part = stripe_id.rpartition("_")
    if len(random_part) <= 2 * KEPT + 1:
        return stripe_id
    head = f"{prefix}_{random_part[:KEPT]}" if prefix else random_part[:KEPT]
    return format_html('<span title="{}">{}…{}</span>', stripe_id, head, random_part[-KEPT:])


def format_short_time(moment: datetime) -> str:
    """A date and time in the active language's short format (a list column's width)."""
    return date_format(localtime(moment), "SHORT_DATETIME_FORMAT")


NOTE_LENGTH = 20


def format_attention_note(text: str) -> SafeString | str:
    """The start of a "needs attention" note, the whole note in a tooltip."""
    if len(text) <= NOTE_LENGTH:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[: NOTE_LENGTH - 1])


def build_dashboard_url(payment: Payment) -> str:
    """The payment's page in the Stripe Dashboard (its test-mode page for test keys); "" with
    the emulator, whose ids mean nothing to the Dashboard, or before there is a PaymentIntent."""
    if settings.STRIPE_API_BASE.rstrip("/") != STRIPE_API_BASE:
        return ""
    intent_id = get_paid_intent_id(payment)
    if not intent_id:
        return ""
    mode = "" if is_live(payment.account) else "/test"
    return f"{DASHBOARD}{mode}/payments/{intent_id}"
