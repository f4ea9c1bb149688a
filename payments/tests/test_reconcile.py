"""`reconcile_payments` and the admin's "Sync with Stripe": webhooks the emulator gave up on are
made up with the webhook's own transitions, late webhooks change nothing more, and attempts open
past their age are canceled or expired at the emulator."""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from catalog.models import OrderStatus
from payments.gateway.accounts import get_account, get_stripe_client
from payments.models import PaymentStatus, WebhookEvent
from payments.tests.helpers import (
    age,
    card_payment,
    checkout_payment,
    deliver,
    pay,
    pay_server_side,
    posts_ending,
    statuses,
    stripe_intent,
    stripe_session,
)
from stripe_emulator.testing import RunningEmulator
from testing.accounts import SECRET_KEYS, WEBHOOK_SECRETS, point_at


def reconcile(*args: str) -> str:
    """Run the command as the scheduler would; its printed lines."""
    out = StringIO()
    call_command("reconcile_payments", *args, stdout=out)
    return out.getvalue()


def resend(emulator: RunningEmulator, event_id: str) -> None:
    """Deliver the event again, as the Dashboard's "Resend" does (the emulator's control)."""
    request = urllib.request.Request(  # noqa: S310 - the local emulator
        f"{emulator.url}/_emulator/events/{event_id}/resend", b"{}", method="POST"
    )
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310
        pass


@pytest.fixture
def failing_webhooks(
    stripe_emulator: RunningEmulator, settings: Any, live_server: LiveServer
) -> RunningEmulator:
    """The emulator delivering to the shop's endpoints with a wrong signing secret: every
    delivery answers 400 and the emulator gives up after its retries, as when the receiver is
    down or misconfigured."""
    stripe_emulator.reset()
    for currency, key in SECRET_KEYS.items():
        url = f"{live_server.url}/payments/webhook/{currency}/"
        stripe_emulator.add_account(key, url, "whsec_notthesecret0123456789abcdefghijkl")
    point_at(stripe_emulator, settings)
    return stripe_emulator


@pytest.mark.django_db(transaction=True)
class TestMissedWebhooks:
    def test_given_up_deliveries_then_reconcile_pays_the_order(self, client, failing_webhooks):
        """Deliveries given up by the emulator: reconcile records the card payment, and the
        event redelivered later (receiver fixed) changes nothing more."""
        payment = card_payment(client)
        pay_server_side(payment)
        failing_webhooks.flush_webhooks()
        given_up = failing_webhooks.webhook_deliveries(type="payment_intent.succeeded")
        assert [d["status"] for d in given_up] == ["failed"]
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)

        printed = reconcile()

        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert f"payment {payment.pk} ({payment.stripe_id}) recorded" in printed
        assert "requires_payment -> succeeded" in printed
        assert "open -> paid" in printed
        assert "Checked 1 payments: 1 changed (0 closed as abandoned)" in printed
        recorded_at = payment.updated_at

        # The receiver is fixed, and Stripe delivers the event again.
        failing_webhooks.add_account(SECRET_KEYS["usd"], given_up[0]["url"], WEBHOOK_SECRETS["usd"])
        resend(failing_webhooks, given_up[0]["event"])
        failing_webhooks.flush_webhooks()

        assert WebhookEvent.objects.filter(event_id=given_up[0]["event"]).count() == 1
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        payment.refresh_from_db()
        assert payment.updated_at == recorded_at
        assert payment.attention == ""
        assert "Checked 0 payments: 0 changed" in reconcile()


@pytest.mark.django_db
class TestReconcile:
    def test_a_paid_checkout_session_without_webhooks_is_recorded(self, client, stripe_accounts):
        """An account without a webhook URL: reconcile records the paid session as
        `checkout.session.completed` would, with the PaymentIntent Stripe made for it."""
        payment = checkout_payment(client)
        pay(stripe_accounts, payment.stripe_id)
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)

        printed = reconcile()

        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert payment.stripe_payment_intent_id == stripe_session(payment).payment_intent
        assert "requires_payment -> succeeded" in printed

    def test_the_webhook_arriving_after_reconcile_changes_nothing(self, client, stripe_accounts):
        """The real `checkout.session.completed` event delivered after reconcile recorded the
        payment is handled and leaves the payment and its order exactly as they were."""
        payment = checkout_payment(client)
        pay(stripe_accounts, payment.stripe_id)
        reconcile()
        payment.refresh_from_db()
        before = (payment.status, payment.updated_at, payment.attention)
        events = get_stripe_client(get_account("usd")).v1.events.list(
            {"type": "checkout.session.completed"}
        )
        late = json.dumps(events.data[0].to_dict()).encode()

        assert deliver(client, late).status_code == 200

        payment.refresh_from_db()
        assert (payment.status, payment.updated_at, payment.attention) == before
        assert payment.order.status == OrderStatus.PAID

    def test_a_declined_card_is_recorded_as_failed(self, client, stripe_accounts):
        """What Stripe says of a declined PaymentIntent is recorded as `payment_failed` would."""
        payment = card_payment(client)
        with pytest.raises(Exception, match="declined"):
            pay_server_side(payment, card="pm_card_chargeDeclined")

        reconcile()

        assert statuses(payment) == (PaymentStatus.FAILED, OrderStatus.FAILED)
        assert payment.last_error

    def test_order_option_checks_only_that_order(self, client, stripe_accounts):
        """`--order N` asks Stripe about that order's payments and leaves the others."""
        mine, other = card_payment(client), card_payment(client)
        pay_server_side(mine)
        pay_server_side(other)

        printed = reconcile("--order", str(mine.order_id))

        assert statuses(mine) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert statuses(other) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)
        assert "Checked 1 payments" in printed

    def test_time_window_options_pick_payments_by_when_they_were_made(
        self, client, stripe_accounts
    ):
        """`--since`/`--until` check only payments made inside the window."""
        old, new = card_payment(client), card_payment(client)
        age(old, hours=3)
        pay_server_side(old)
        pay_server_side(new)
        two_hours_ago = (timezone.now() - timedelta(hours=2)).isoformat()

        reconcile("--until", two_hours_ago)
        assert statuses(old)[0] == PaymentStatus.SUCCEEDED
        assert statuses(new)[0] == PaymentStatus.REQUIRES_PAYMENT
        reconcile("--since", two_hours_ago)
        assert statuses(new)[0] == PaymentStatus.SUCCEEDED

    def test_stripe_unavailable_fails_the_run_and_changes_nothing(self, client, stripe_accounts):
        """Stripe answering 500 to every read: the payment is left, the run exits non-zero."""
        payment = card_payment(client)
        pay_server_side(payment)
        stripe_accounts.set_fault("GET /v1/payment_intents/{intent}", error="api_error")

        with pytest.raises(CommandError, match="1 payments could not be checked"):
            reconcile()

        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)


@pytest.mark.django_db
class TestAbandonedAttempts:
    def test_an_old_payment_intent_is_canceled_at_stripe(self, client, stripe_accounts, settings):
        """A PaymentIntent open longer than PAYMENT_ATTEMPT_MAX_AGE_HOURS is canceled at the
        emulator (reason `abandoned`) and recorded; a younger one is left open."""
        settings.PAYMENT_ATTEMPT_MAX_AGE_HOURS = 24
        old, young = card_payment(client), card_payment(client)
        age(old, hours=25)
        age(young, hours=23)

        printed = reconcile()

        assert stripe_intent(old).status == "canceled"
        assert stripe_intent(old).cancellation_reason == "abandoned"
        assert statuses(old) == (PaymentStatus.CANCELED, OrderStatus.CANCELED)
        assert f"payment {old.pk} ({old.stripe_id}) closed as abandoned" in printed
        assert stripe_intent(young).status == "requires_payment_method"
        assert statuses(young) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)
        assert len(posts_ending(stripe_accounts, "/cancel")) == 1

    def test_an_old_checkout_session_is_expired_at_stripe(self, client, stripe_accounts):
        """An open Checkout Session older than the age is expired at the emulator."""
        payment = checkout_payment(client)
        age(payment, hours=25)

        reconcile()

        assert stripe_session(payment).status == "expired"
        assert statuses(payment) == (PaymentStatus.CANCELED, OrderStatus.CANCELED)
        assert len(posts_ending(stripe_accounts, "/expire")) == 1

    def test_a_session_stripe_expired_itself_is_recorded_without_an_expire_call(
        self, client, stripe_accounts
    ):
        """Emulator clock past the session's 24 h lifetime, `expired` event missed: reconcile
        records the expiry and asks Stripe to expire nothing."""
        payment = checkout_payment(client)
        stripe_accounts.advance_clock(24 * 3600 + 60)

        reconcile()

        assert statuses(payment) == (PaymentStatus.CANCELED, OrderStatus.CANCELED)
        assert posts_ending(stripe_accounts, "/expire") == []

    def test_an_old_attempt_paid_meanwhile_is_recorded_not_closed(self, client, stripe_accounts):
        """An attempt past its age that Stripe says succeeded is recorded as paid, never
        canceled."""
        payment = card_payment(client)
        pay_server_side(payment)
        age(payment, hours=48)

        reconcile()

        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert posts_ending(stripe_accounts, "/cancel") == []

    def test_no_close_only_records(self, client, stripe_accounts):
        """`--no-close` leaves an old open attempt open at Stripe."""
        payment = card_payment(client)
        age(payment, hours=48)

        reconcile("--no-close")

        assert stripe_intent(payment).status == "requires_payment_method"
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)
