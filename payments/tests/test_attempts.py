"""One live attempt per order: paying by one path closes the other's open attempt at Stripe."""

from __future__ import annotations

import pytest

from catalog.models import Order, OrderStatus
from catalog.services import get_order_with_lines
from catalog.tests.factories import (
    make_item,
    make_order,
)
from catalog.totals import compute_order_totals
from payments.checkout import ReturnUrls, build_checkout_request
from payments.gateway.accounts import get_account
from payments.gateway.checkout import create_checkout_session
from payments.models import Payment, PaymentStatus
from payments.tests.helpers import (
    buy,
    deliver,
    intent_event,
    pay,
    pay_server_side,
    posts,
    retrieve,
)
from payments.tests.open_attempts import intent_beside, session_beside

pytestmark = pytest.mark.django_db


class TestOnlyOneAttemptPays:
    def test_paying_through_checkout_cancels_the_card_forms_payment_intent(
        self, client, emulator, django_capture_on_commit_callbacks
    ):
        """Card form opened, then paid on Checkout: the order's PaymentIntent is canceled, so
        the still-open card form can't charge the buyer a second time."""
        item = make_item(price="15.00")
        answer = buy(client, f"/buy/{item.pk}")
        session = Payment.objects.get(stripe_id=answer["id"])
        intent_id = intent_beside(session.order_id).stripe_id
        pay(emulator, answer["id"])
        with django_capture_on_commit_callbacks(execute=True):
            client.get(f"/payments/checkout/success?session_id={answer['id']}")
        card = Payment.objects.get(stripe_id=intent_id)
        assert card.status == PaymentStatus.CANCELED
        assert card.order.status == OrderStatus.PAID
        assert posts(emulator, f"/v1/payment_intents/{intent_id}/cancel")

    def test_paying_by_card_expires_the_open_checkout_session(
        self, client, emulator, django_capture_on_commit_callbacks
    ):
        """Checkout opened, then paid with the card form: after the commit the order's open
        session is expired, so Checkout can't charge the buyer a second time."""
        item = make_item(price="15.00")
        body = client.post(f"/item/{item.pk}/payment-intent").json()
        card = Payment.objects.get(stripe_id=body["paymentIntent"])
        session_id = session_beside(card.order_id).stripe_id
        pay_server_side(card)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(
                "/payments/result/",
                {
                    "payment_intent": body["paymentIntent"],
                    "payment_intent_client_secret": body["clientSecret"],
                },
            )
        assert retrieve(emulator, "usd", session_id).status == "expired"
        assert Payment.objects.get(stripe_id=session_id).status == PaymentStatus.CANCELED
        assert Order.objects.get(pk=card.order_id).status == OrderStatus.PAID

    def test_a_processing_card_payment_expires_the_open_checkout_session(
        self, client, emulator, django_capture_on_commit_callbacks
    ):
        """A delayed card-form payment (`payment_intent.processing`) closes Checkout too."""
        item = make_item(price="15.00")
        body = client.post(f"/item/{item.pk}/payment-intent").json()
        card = Payment.objects.get(stripe_id=body["paymentIntent"])
        session_id = session_beside(card.order_id).stripe_id
        with django_capture_on_commit_callbacks(execute=True):
            deliver(client, intent_event("payment_intent.processing", card))
        assert retrieve(emulator, "usd", session_id).status == "expired"
        assert Payment.objects.get(stripe_id=session_id).status == PaymentStatus.CANCELED
        assert Order.objects.get(pk=card.order_id).status == OrderStatus.PROCESSING

    def test_a_session_that_cannot_be_expired_is_logged_and_the_payment_stands(
        self, client, emulator, settings, caplog, django_capture_on_commit_callbacks
    ):
        """Stripe failing to expire the session doesn't undo the card payment: it is logged."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        item = make_item(price="15.00")
        body = client.post(f"/item/{item.pk}/payment-intent").json()
        card = Payment.objects.get(stripe_id=body["paymentIntent"])
        session_id = session_beside(card.order_id).stripe_id
        emulator.set_fault("POST /v1/checkout/sessions/{session}/expire", error="api_error")
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, intent_event("payment_intent.succeeded", card))
        assert response.status_code == 200
        assert posts(emulator, f"/v1/checkout/sessions/{session_id}/expire")
        assert f"Could not close {session_id} of order {card.order_id}" in caplog.text
        assert Order.objects.get(pk=card.order_id).status == OrderStatus.PAID
        assert Payment.objects.get(stripe_id=session_id).status == PaymentStatus.REQUIRES_PAYMENT

    def test_paying_one_session_expires_the_others(
        self, client, emulator, django_capture_on_commit_callbacks
    ):
        """Two open sessions for one order (a race the row lock makes rare): once one is
        paid, the other is expired so it can't be paid too."""
        order = make_order()
        first = buy(client, f"/order/{order.pk}/buy")
        second = Payment.objects.get(stripe_id=first["id"])
        twin = create_checkout_session(
            get_account("usd"),
            build_checkout_request(
                get_order_with_lines(order.pk),
                compute_order_totals(get_order_with_lines(order.pk)),
                get_account("usd"),
                ReturnUrls(
                    success="http://t/s?session_id={CHECKOUT_SESSION_ID}", cancel="http://t/c"
                ),
                attempt=9,
            ),
            idempotency_key="a-twin",
        )
        second.pk, second.stripe_id = None, twin.id
        second.save()
        pay(emulator, twin.id)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(f"/payments/checkout/success?session_id={twin.id}")
        assert retrieve(emulator, "usd", first["id"]).status == "expired"
        assert Payment.objects.get(stripe_id=first["id"]).status == PaymentStatus.CANCELED
        assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
