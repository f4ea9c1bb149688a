"""Failures that used to leave Stripe and the shop apart: a create answered after the shop
gave up (the retry must keep the idempotency key, so Stripe hands back the object it made), and
ids the account no longer holds (forgotten and made again, never a 502 for good)."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.tests.factories import make_order, make_percent_discount, make_tax
from payments.gateway.accounts import get_account, get_stripe_client
from payments.models import Payment, PaymentStatus, StripeCoupon, StripeTaxRate
from payments.order_keys import OrderKeys
from payments.tests.helpers import buy, creates, posts, session_creates
from testing.accounts import SECRET_KEYS

pytestmark = pytest.mark.django_db

# Longer than the shop's timeout below, so the first try's answer is lost while Stripe works.
LATE_MS = 2500


@pytest.fixture
def impatient(settings: Any) -> None:
    """The shop gives up on Stripe after 1 s, and its SDK retries once."""
    settings.STRIPE_TIMEOUT_SECONDS = 1
    settings.STRIPE_MAX_NETWORK_RETRIES = 1


def keys(requests: list[dict[str, Any]]) -> set[str]:
    return {request["idempotency_key"] for request in requests}


def until_answered(send: Any, attempts: int = 5) -> Any:
    """The buyer pressing the button again after each 502, a bounded number of times."""
    for _ in range(attempts):
        response = send()
        if response.status_code != 502:
            return response
    return response


class TestLostCreateAnswers:
    def test_a_late_payment_intent_create_leaves_one_payment_intent(
        self, client, stripe_accounts, impatient
    ):
        """Stripe answers the create after the shop's timeout: every retry (the SDK's and the
        buyer's) sends the same key, so Stripe holds one PaymentIntent for the order, the one
        the shop shows, and the shop counted no failed create."""
        order = make_order()
        stripe_accounts.set_fault("POST /v1/payment_intents", latency_ms=LATE_MS, count=1)
        response = until_answered(lambda: client.post(f"/order/{order.pk}/payment-intent"))
        assert response.status_code == 200
        at_stripe = get_stripe_client(get_account("usd")).v1.payment_intents.list().data
        assert [intent.id for intent in at_stripe] == [response.json()["paymentIntent"]]
        assert len(creates(stripe_accounts)) >= 2  # the answer was lost at least once
        assert len(keys(creates(stripe_accounts))) == 1
        assert OrderKeys.objects.get(order=order).failed_creates == 0
        assert Payment.objects.get().stripe_id == at_stripe[0].id

    def test_a_late_checkout_session_create_leaves_one_session(
        self, client, stripe_accounts, impatient
    ):
        """The same for Checkout: one session at Stripe, open, and it is the one answered."""
        order = make_order()
        stripe_accounts.set_fault("POST /v1/checkout/sessions", latency_ms=LATE_MS, count=1)
        response = until_answered(lambda: client.get(f"/order/{order.pk}/buy"))
        assert response.status_code == 200
        at_stripe = get_stripe_client(get_account("usd")).v1.checkout.sessions.list().data
        assert [session.id for session in at_stripe] == [response.json()["id"]]
        assert at_stripe[0].status == "open"
        assert len(session_creates(stripe_accounts)) >= 2
        assert len(keys(session_creates(stripe_accounts))) == 1

    def test_a_stored_500_still_gets_a_fresh_key(self, client, stripe_accounts, settings):
        """The other side of the rule: a 500 Stripe stored under the key would be replayed
        to that key for 24 hours, so the next create uses a new one and succeeds."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        order = make_order()
        stripe_accounts.set_fault("POST /v1/checkout/sessions", error="api_error", count=1)
        buy(client, f"/order/{order.pk}/buy", status=502)
        buy(client, f"/order/{order.pk}/buy")
        assert len(keys(session_creates(stripe_accounts))) == 2

    def test_a_429_keeps_the_key(self, client, stripe_accounts, settings):
        """Stripe rate-limits before its idempotency layer, so nothing is stored: the retry
        keeps the key (a fresh one would gain nothing) and succeeds."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        order = make_order()
        stripe_accounts.set_fault("POST /v1/payment_intents", error="rate_limit", count=1)
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 503
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        assert len(keys(creates(stripe_accounts))) == 1


def forget_everything(emulator: Any) -> None:
    """What `make run` restarted, a Dashboard "delete test data" or new keys do: the
    accounts come back empty."""
    emulator.reset()
    for key in SECRET_KEYS.values():
        emulator.add_account(key)


class TestStaleIds:
    def test_checkout_after_stripe_forgot_coupon_tax_rate_and_session(
        self, client, stripe_accounts
    ):
        """Stripe lost the stored coupon, tax rate and session: the next Checkout request
        forgets them, makes a new coupon and tax rate once, and succeeds (no lasting 502)."""
        order = make_order(discount=make_percent_discount(), tax=make_tax())
        old = buy(client, f"/order/{order.pk}/buy")["id"]
        old_coupon = StripeCoupon.objects.get().stripe_id
        forget_everything(stripe_accounts)
        new = buy(client, f"/order/{order.pk}/buy")["id"]
        assert new != old
        assert Payment.objects.get(stripe_id=old).status == PaymentStatus.CANCELED
        assert StripeCoupon.objects.get().stripe_id != old_coupon
        assert StripeTaxRate.objects.count() == 1
        assert len(posts(stripe_accounts, "/v1/coupons")) == 1
        assert len(posts(stripe_accounts, "/v1/tax_rates")) == 1
        session = get_stripe_client(get_account("usd")).v1.checkout.sessions.retrieve(new)
        assert session.amount_total == Payment.objects.get(stripe_id=new).amount
        # And it stays healed: the next request reuses that session.
        assert buy(client, f"/order/{order.pk}/buy")["id"] == new

    def test_a_coupon_deleted_at_stripe_is_made_again(self, client, stripe_accounts):
        """Only the coupon was deleted (the Dashboard): the session create's `resource_missing`
        makes the shop forget it, and the same request succeeds with a new one."""
        order = make_order(discount=make_percent_discount())
        session = buy(client, f"/order/{order.pk}/buy")["id"]
        coupon = StripeCoupon.objects.get().stripe_id
        get_stripe_client(get_account("usd")).v1.checkout.sessions.expire(session)
        get_stripe_client(get_account("usd")).v1.coupons.delete(coupon)
        assert buy(client, f"/order/{order.pk}/buy")["id"] != session
        assert StripeCoupon.objects.get().stripe_id != coupon

    def test_the_card_form_after_stripe_forgot_its_session_and_payment_intent(
        self, client, stripe_accounts
    ):
        """The card form's request closing a Checkout Session Stripe no longer has: the
        session is marked canceled and the PaymentIntent made, not a 502."""
        order = make_order()
        session = buy(client, f"/order/{order.pk}/buy")["id"]
        forget_everything(stripe_accounts)
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        assert Payment.objects.get(stripe_id=session).status == PaymentStatus.CANCELED
