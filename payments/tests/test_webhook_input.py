"""Webhook bodies that are signed but not Stripe events, timestamps outside the tolerance on
either side, and error pages that never show a secret."""

from __future__ import annotations

import json
import logging
import time

import pytest
from django.test import Client

from catalog.models import OrderStatus
from catalog.tests.factories import make_order
from payments import webhooks
from payments.exceptions import StripeObjectGone
from payments.gateway.accounts import get_account
from payments.gateway.events import TOLERANCE_SECONDS, StripeEvent
from payments.gateway.payment_intents import retrieve_payment_intent
from payments.models import Payment, PaymentKind, PaymentStatus, WebhookEvent
from payments.tests.helpers import deliver, intent_event, signature
from testing.accounts import SECRET_KEYS, WEBHOOK_SECRETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(stripe_accounts):
    """A usd order of 30.00 awaiting payment with its PaymentIntent."""
    return Payment.objects.create(
        order=make_order(),
        kind=PaymentKind.PAYMENT_INTENT,
        account="usd",
        stripe_id="pi_test_input",
        amount=3000,
        shop_amount=3000,
        currency="usd",
    )


def event(**changes):
    """A well-formed unknown-type event with `changes` applied (None removes a key)."""
    body = {
        "id": "evt_test_input",
        "object": "event",
        "type": "customer.created",
        "livemode": False,
        "created": int(time.time()),
        "data": {"object": {"id": "cus_1", "object": "customer"}},
    }
    body.update(changes)
    return json.dumps({key: value for key, value in body.items() if value is not None}).encode()


def intent_body(**changes):
    """A payment_intent.succeeded event for `pi_test_input` with its object's fields changed."""
    the_payment = Payment(stripe_id="pi_test_input", order_id=1, shop_amount=3000, currency="usd")
    body = json.loads(intent_event("payment_intent.succeeded", the_payment))
    body["data"]["object"].update(changes)
    return json.dumps(body).encode()


NOT_EVENTS = {
    "a list": b"[]",
    "null": b"null",
    "a number": b"42",
    "a string": b'"evt_1"',
    "not JSON": b"{not json",
    "not an event object": event(object="customer"),
    "no id": event(id=None),
    "no type": event(type=None),
    "a numeric id": event(id=17),
    "a list as type": event(type=["payment_intent.succeeded"]),
    "a NUL in the id": event(id="evt_\u0000"),
    "an id longer than Stripe's": event(id="evt_" + "x" * 300),
    "livemode as a string": event(livemode="false"),
    "data not an object": event(data="x"),
    "no data.object": event(data={}),
    "data.object a list": event(data={"object": []}),
    "an object id that is a dict": event(data={"object": {"id": {"x": 1}}}),
    "amount as text": intent_body(amount="thirty"),
    "amount missing": intent_body(amount=None),
    "metadata a string": intent_body(metadata="order 1"),
    "last_payment_error a string": intent_body(last_payment_error="declined"),
}


class TestSignedBodiesThatAreNotEvents:
    @pytest.mark.parametrize("payload", NOT_EVENTS.values(), ids=NOT_EVENTS.keys())
    def test_answer_400_with_a_log_line_and_store_nothing(self, client, payment, payload, caplog):
        """A correctly signed body that is not a Stripe event: 400, logged, nothing stored."""
        with caplog.at_level(logging.WARNING, logger="payments"):
            response = deliver(client, payload)
        assert response.status_code == 400
        assert response.json() == {"error": "not a Stripe event"}
        assert "not an event" in caplog.text or "Refused payment_intent" in caplog.text
        assert not WebhookEvent.objects.exists()
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.REQUIRES_PAYMENT
        assert payment.order.status == OrderStatus.OPEN

    def test_the_well_formed_controls_are_accepted(self, client, payment):
        """The bodies above differ from accepted events only in the broken field."""
        assert deliver(client, event()).status_code == 200
        assert deliver(client, intent_body(id="pi_test_input")).status_code == 200
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED


class TestTimestampTolerance:
    @pytest.mark.parametrize(
        ("offset", "status"),
        [
            (-TOLERANCE_SECONDS - 1, 400),
            (-TOLERANCE_SECONDS + 5, 200),
            (TOLERANCE_SECONDS - 5, 200),
            (TOLERANCE_SECONDS + 1, 400),
            (600, 400),
        ],
    )
    def test_signatures_outside_the_tolerance_are_refused_on_either_side(
        self, client, payment, offset, status
    ):
        """A signature older or newer than the tolerance (300 s) is refused; inside it is not."""
        payload = event()
        header = signature(payload, WEBHOOK_SECRETS["usd"], int(time.time()) + offset)
        assert deliver(client, payload, header=header).status_code == status
        assert WebhookEvent.objects.exists() == (status == 200)


def crashing_handler(event: StripeEvent) -> None:
    """A planted bug: a handler that asks Stripe with the account's key, then fails.

    No real handler crashes (that is the point of the tests above), so this stands in for the
    next bug. The Stripe error it chains carries stripe-python's own frames, whose locals hold
    the API key."""
    try:
        retrieve_payment_intent(get_account(event.account), "pi_does_not_exist")
    except StripeObjectGone as gone:
        raise RuntimeError("planted bug in a webhook handler") from gone


class TestErrorPagesShowNoSecret:
    def test_the_debug_500_page_of_a_webhook_failure_shows_no_secret(
        self, settings, payment, monkeypatch
    ):
        """DEBUG's technical 500 page for a crash inside webhook handling lists the locals of
        every frame (the view's, the gateway's, stripe-python's) but neither the webhook
        secret nor the Stripe secret key."""
        settings.DEBUG = True
        monkeypatch.setitem(webhooks.HANDLERS, "test.crash", crashing_handler)
        browser = Client(raise_request_exception=False)
        response = deliver(browser, event(type="test.crash"))
        page = response.content.decode()
        assert response.status_code == 500
        assert "planted bug in a webhook handler" in page
        assert "Local vars" in page  # the technical page, with each frame's locals
        assert "resource_missing" in page  # the chained Stripe error and its frames
        assert WEBHOOK_SECRETS["usd"] not in page
        assert SECRET_KEYS["usd"] not in page
        assert settings.SECRET_KEY not in page
