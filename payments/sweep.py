"""Sweeping what buyers abandoned: unpaid orders past their age (their attempts closed at Stripe
first, through reconciliation), expired Django sessions, and webhook event rows past their
retention. Without it, every cookie-less `GET /buy/<id>` leaves an order, its line, a payment
and a session behind for good.

An order is deleted only when nothing at Stripe can still take money for it: every payment is
canceled (or is a Checkout Session that failed, which can't be paid any more). Money that moved
or may move (succeeded, processing, an attempt Stripe could not close) keeps the order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.models import DEMO_SESSION_KEY, PAYABLE_ORDER_STATUSES, Order
from payments.models import Payment, PaymentKind, PaymentStatus, WebhookEvent
from payments.reconcile import Outcome, reconcile

logger = logging.getLogger("payments.sweep")

# Payments that keep their order: money moved, may move, or an attempt Stripe could still pay.
KEEPS_ORDER = Q(
    status__in=[
        PaymentStatus.REQUIRES_PAYMENT,
        PaymentStatus.PROCESSING,
        PaymentStatus.SUCCEEDED,
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    ]
) | Q(kind=PaymentKind.PAYMENT_INTENT, status=PaymentStatus.FAILED)

DATABASE_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


@dataclass(frozen=True)
class SweepResult:
    closed: Outcome  # the reconciliation that closed the stale orders' attempts
    orders: int
    lines: int
    payments: int
    sessions: int | None  # None: the session engine is not the database's, so not counted
    webhook_events: int

    def lines_to_print(self) -> list[str]:
        sessions = "expired" if self.sessions is None else str(self.sessions)
        return [
            *(str(change) for change in self.closed.changes),
            f"Deleted {self.orders} unpaid orders ({self.lines} lines, {self.payments} payments)"
            f" older than {settings.UNPAID_ORDER_MAX_AGE_DAYS} days.",
            f"Cleared {sessions} sessions; deleted {self.webhook_events} webhook events older"
            f" than {settings.WEBHOOK_EVENT_RETENTION_DAYS} days.",
        ]


def sweep(now: datetime | None = None) -> SweepResult:
    """Close and delete stale unpaid orders, clear expired sessions, drop old event rows."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNPAID_ORDER_MAX_AGE_DAYS)
    stale = list_stale_orders(cutoff)
    # Attempts made after the cutoff are left open: the buyer came back, the order stays.
    closed = reconcile(Payment.objects.filter(order__in=stale), abandon_before=cutoff)
    orders, lines, payments = _delete_orders(stale)
    sessions = _clear_expired_sessions(now)
    retention = now - timedelta(days=settings.WEBHOOK_EVENT_RETENTION_DAYS)
    webhook_events, _ = WebhookEvent.objects.filter(received_at__lt=retention).delete()
    return SweepResult(closed, orders, lines, payments, sessions, webhook_events)


def list_stale_orders(cutoff: datetime) -> QuerySet[Order]:
    """Buyers' orders made before `cutoff` that were never paid.

    Orders without a buyer session (made by staff in the admin) and the demo order are staff's
    to remove, so they are never swept.
    """
    return (
        Order.objects.filter(created_at__lt=cutoff, status__in=PAYABLE_ORDER_STATUSES)
        .exclude(session_key="")
        .exclude(session_key=DEMO_SESSION_KEY)
    )


def _delete_orders(stale: QuerySet[Order]) -> tuple[int, int, int]:
    """Delete each stale order no payment keeps, under its row lock; (orders, lines, payments).

    The lock (SKIP LOCKED: one a buyer is paying is left for the next sweep) and the check under
    it make a payment started meanwhile keep its order.
    """
    orders = lines = payments = 0
    for order_id in stale.exclude(payments__in=Payment.objects.filter(KEEPS_ORDER)).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            locked = stale.select_for_update(skip_locked=True).filter(pk=order_id)
            if not list(locked.values_list("pk", flat=True)):
                continue
            if Payment.objects.filter(KEEPS_ORDER, order_id=order_id).exists():
                continue
            payments += Payment.objects.filter(order_id=order_id).delete()[0]
            _, deleted = Order.objects.filter(pk=order_id).delete()
            orders += deleted.get("catalog.Order", 0)
            lines += deleted.get("catalog.OrderLine", 0)
    return orders, lines, payments


def _clear_expired_sessions(now: datetime) -> int | None:
    """Clear expired sessions as `clearsessions` does; how many, where the database holds them."""
    counted = settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES
    expired = Session.objects.filter(expire_date__lt=now).count() if counted else None
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return expired
