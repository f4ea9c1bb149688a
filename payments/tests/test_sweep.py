"""`sweep_abandoned`: anonymous `GET /buy/<id>` leave nothing behind once their age has passed,
and nothing that holds or may still take money is ever removed."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from catalog.models import Order, OrderLine
from catalog.tests.factories import make_item, make_order
from payments.checks_schedule import check_schedule_ages
from payments.gateway.accounts import get_account, get_stripe_client
from payments.models import Payment, WebhookEvent
from payments.tests.helpers import buy, checkout_payment, pay, posts_ending, stripe_session

pytestmark = pytest.mark.django_db

# Anonymous requests in the test; `make bench` runs the 1,000 (bench/sweep.py).
ANONYMOUS_BUYS = 40


def row_counts() -> dict[str, int]:
    models: list[Any] = [Order, OrderLine, Payment, Session, WebhookEvent]
    return {model.__name__: model.objects.count() for model in models}


def age_everything(days: int) -> None:
    """Move every order, payment and session `days` into the past, as if made then."""
    past = timezone.now() - timedelta(days=days)
    Order.objects.update(created_at=past)
    Payment.objects.update(created_at=past)
    Session.objects.update(expire_date=past)


def sweep() -> str:
    out = StringIO()
    call_command("sweep_abandoned", stdout=out)
    return out.getvalue()


class TestSweep:
    def test_anonymous_buys_are_swept_back_to_the_baseline(self, stripe_accounts, settings):
        """Cookie-less `GET /buy/<id>` each leave an order, a line, a payment, a session and an
        open Checkout Session; past their age, a sweep expires every session at the emulator
        and the row counts are back where they started."""
        settings.UNPAID_ORDER_MAX_AGE_DAYS = 14
        # The rate limits would stop this burst from one address (project/tests/test_rate_limits
        # shows that); here the rows it leaves are what is measured.
        settings.RATE_LIMIT_PER_CLIENT = settings.RATE_LIMIT_PER_STRIPE_ACCOUNT = "100000/s"
        item = make_item(price="15.00")
        baseline = row_counts()
        ids = [buy(Client(), f"/buy/{item.pk}")["id"] for _ in range(ANONYMOUS_BUYS)]
        grown = {name: count - baseline[name] for name, count in row_counts().items()}
        assert grown == {"Order": 40, "OrderLine": 40, "Payment": 40, "Session": 40,
                         "WebhookEvent": 0}  # fmt: skip
        age_everything(days=15)

        printed = sweep()

        assert row_counts() == baseline
        assert len(posts_ending(stripe_accounts, "/expire")) == ANONYMOUS_BUYS
        sessions = get_stripe_client(get_account("usd")).v1.checkout.sessions
        assert {sessions.retrieve(session_id).status for session_id in ids} == {"expired"}
        assert f"Deleted {ANONYMOUS_BUYS} unpaid orders ({ANONYMOUS_BUYS} lines," in printed
        assert f"Cleared {ANONYMOUS_BUYS} sessions" in printed

    def test_orders_younger_than_the_age_stay(self, stripe_accounts, settings):
        """An unpaid order made after the cutoff, and its open session, are left alone."""
        settings.UNPAID_ORDER_MAX_AGE_DAYS = 14
        payment = checkout_payment(Client())
        Order.objects.update(created_at=timezone.now() - timedelta(days=13))

        sweep()

        assert Order.objects.filter(pk=payment.order_id).exists()
        assert stripe_session(payment).status == "open"

    def test_what_holds_or_may_take_money_stays(self, client, stripe_accounts):
        """Old orders stay when paid, made by staff (no buyer session), or when Stripe could
        not close their attempt; the failed run says so and exits non-zero."""
        paid = checkout_payment(client)
        pay(stripe_accounts, paid.stripe_id)
        call_command("reconcile_payments", stdout=StringIO())
        staff_order = make_order(session_key="")
        unclosable = checkout_payment(Client())
        age_everything(days=30)
        stripe_accounts.set_fault("POST /v1/checkout/sessions/{session}/expire", error="api_error")

        with pytest.raises(CommandError, match="1 attempts could not be closed"):
            sweep()

        left = set(Order.objects.values_list("pk", flat=True))
        assert {paid.order_id, staff_order.pk, unclosable.order_id} <= left
        assert stripe_session(unclosable).status == "open"

    def test_webhook_events_are_kept_for_their_retention(self, settings):
        """Event rows older than WEBHOOK_EVENT_RETENTION_DAYS go; younger ones stay."""
        settings.WEBHOOK_EVENT_RETENTION_DAYS = 30
        for name, days in (("evt_old", 31), ("evt_recent", 29)):
            event = WebhookEvent.objects.create(account="usd", event_id=name, type="x")
            received = timezone.now() - timedelta(days=days)
            WebhookEvent.objects.filter(pk=event.pk).update(received_at=received)

        printed = sweep()

        assert list(WebhookEvent.objects.values_list("event_id", flat=True)) == ["evt_recent"]
        assert "deleted 1 webhook events older than 30 days" in printed


class TestScheduleChecks:
    def test_defaults_pass(self):
        """The default ages raise no warning."""
        assert check_schedule_ages() == []

    @pytest.mark.parametrize(
        ("setting", "value", "warning"),
        [
            ("PAYMENT_ATTEMPT_MAX_AGE_HOURS", 0, "payments.W020"),
            ("UNPAID_ORDER_MAX_AGE_DAYS", 0, "payments.W020"),
            ("WEBHOOK_EVENT_RETENTION_DAYS", 2, "payments.W021"),
        ],
    )
    def test_ages_that_would_cut_buyers_or_events_short_warn(
        self, settings, setting, value, warning
    ):
        """An attempt age under an hour or over the order age, or event rows kept for less
        than Stripe's 3 days of retries, are reported."""
        setattr(settings, setting, value)
        assert [message.id for message in check_schedule_ages()] == [warning]
