# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Signed webhook delivery: verified by stripe-python, retried, logged, resendable."""

from __future__ import annotations

import stripe

from stripe_emulator.testing import RunningEmulator
from stripe_emulator.webhooks import signature_header

from .conftest import WEBHOOK_SECRET, Receiver


def pay(client: stripe.StripeClient) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(
        params={"amount": 1200, "currency": "usd", "confirm": True,
                "payment_method": "pm_card_visa",
                "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"}}
    )  # fmt: skip


class TestDelivery:
    def test_events_arrive_signed(
        self, hooked_client: stripe.StripeClient, receiver: Receiver, emulator: RunningEmulator
    ) -> None:
        """Each event is posted with a Stripe-Signature that construct_event accepts."""
        intent = pay(hooked_client)
        emulator.flush_webhooks()
        types = set()
        for headers, body in receiver.received:
            event = stripe.Webhook.construct_event(
                body.decode(), headers["Stripe-Signature"], WEBHOOK_SECRET
            )
            types.add(event.type)
            assert headers["User-Agent"].startswith("Stripe/1.0")
        assert types == {"payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}
        succeeded = next(e for e in receiver.events() if e["type"] == "payment_intent.succeeded")
        assert succeeded["data"]["object"]["id"] == intent.id
        assert succeeded["api_version"] == stripe.api_version

    def test_client_construct_event_and_tampering(
        self, hooked_client: stripe.StripeClient, receiver: Receiver, emulator: RunningEmulator
    ) -> None:
        """StripeClient.construct_event accepts the payload and rejects a tampered one."""
        pay(hooked_client)
        emulator.flush_webhooks()
        headers, body = receiver.received[0]
        event = hooked_client.construct_event(body, headers["Stripe-Signature"], WEBHOOK_SECRET)
        assert event.id.startswith("evt_")
        tampered = body.replace(b'"livemode": false', b'"livemode": true')
        try:
            hooked_client.construct_event(tampered, headers["Stripe-Signature"], WEBHOOK_SECRET)
        except stripe.SignatureVerificationError:
            pass
        else:
            raise AssertionError("a tampered payload was accepted")

    def test_failed_deliveries_are_retried(
        self, hooked_client: stripe.StripeClient, receiver: Receiver, emulator: RunningEmulator
    ) -> None:
        """A 500 then a 200: two attempts, pending_webhooks drops to 0 after success."""
        receiver.statuses = [500]
        coupon = hooked_client.v1.coupons.create(params={"percent_off": 5})
        emulator.flush_webhooks()
        [delivery] = emulator.webhook_deliveries(type="coupon.created")
        assert [a["status"] for a in delivery["attempts"]] == [500, 200]
        assert delivery["status"] == "succeeded"
        event = hooked_client.v1.events.retrieve(delivery["event"])
        assert event.pending_webhooks == 0
        assert event.data.object["id"] == coupon.id

    def test_gives_up_after_the_configured_retries(
        self, hooked_client: stripe.StripeClient, receiver: Receiver, emulator: RunningEmulator
    ) -> None:
        """With retry delays (0.05, 0.1) there are three attempts, then it is failed."""
        receiver.statuses = [500, 502, 503]
        hooked_client.v1.coupons.create(params={"percent_off": 5})
        emulator.flush_webhooks()
        [delivery] = emulator.webhook_deliveries(type="coupon.created")
        assert len(delivery["attempts"]) == 3
        assert delivery["status"] == "failed"
        event = hooked_client.v1.events.retrieve(delivery["event"])
        assert event.pending_webhooks == 1

    def test_resend(
        self, hooked_client: stripe.StripeClient, receiver: Receiver, emulator: RunningEmulator
    ) -> None:
        """An event can be delivered again on demand (duplicates happen with Stripe too)."""
        hooked_client.v1.coupons.create(params={"percent_off": 5})
        emulator.flush_webhooks()
        event_id = receiver.events()[0]["id"]
        emulator._call("POST", f"/_emulator/events/{event_id}/resend")
        emulator.flush_webhooks()
        assert [e["id"] for e in receiver.events()] == [event_id, event_id]


class TestSignature:
    def test_signature_format(self) -> None:
        """t=<time>,v1=<hex HMAC-SHA256 over "t.body" keyed with the whole whsec_ string>."""
        header = signature_header('{"a": 1}', "whsec_x", 1700000000)
        assert header.startswith("t=1700000000,v1=")
        assert len(header.split("v1=")[1]) == 64


class TestEventsApi:
    def test_list_filters(self, client: stripe.StripeClient) -> None:
        """type (with wildcard) and types[] filter the event list, newest first."""
        pay(client)
        all_types = [e.type for e in client.v1.events.list().data]
        assert all_types == ["payment_intent.succeeded", "charge.succeeded",
                             "payment_intent.created"]  # fmt: skip
        wildcard = client.v1.events.list(params={"type": "payment_intent.*"}).data
        assert [e.type for e in wildcard] == ["payment_intent.succeeded", "payment_intent.created"]
        chosen = client.v1.events.list(params={"types": ["charge.succeeded"]}).data
        assert [e.type for e in chosen] == ["charge.succeeded"]
