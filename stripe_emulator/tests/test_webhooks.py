# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Signed webhook delivery: verified by stripe-python, retried, logged, resendable."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import socket
import time
import urllib.error

import pytest
import stripe

from stripe_emulator.config import AccountConfig
from stripe_emulator.testing import RunningEmulator, WebhooksPending, start_emulator
from stripe_emulator.webhooks import signature_header

from .helpers import SECRET_KEY, WEBHOOK_SECRET, Receiver, make_client


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
        assert types == {"payment_intent.created", "charge.succeeded", "payment_intent.succeeded",
                         "charge.updated"}  # fmt: skip
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
        assert all_types == ["charge.updated", "payment_intent.succeeded", "charge.succeeded",
                             "payment_intent.created"]  # fmt: skip
        wildcard = client.v1.events.list(params={"type": "payment_intent.*"}).data
        assert [e.type for e in wildcard] == ["payment_intent.succeeded", "payment_intent.created"]
        chosen = client.v1.events.list(params={"types": ["charge.succeeded"]}).data
        assert [e.type for e in chosen] == ["charge.succeeded"]
        charges = client.v1.events.list(params={"type": "charge.*"}).data
        assert [e.type for e in charges] == ["charge.updated", "charge.succeeded"]


def _closed_port_url() -> str:
    """A loopback URL nothing listens on: the port was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def _signature_parts(header: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in header.split(","))


class TestSignatureBytes:
    def test_v1_is_hmac_sha256_of_t_dot_body_keyed_with_the_whole_secret(
        self, hooked_client: stripe.StripeClient, receiver: Receiver, emulator: RunningEmulator
    ) -> None:
        """Computed here with hmac, independently of the emulator's signing code."""
        hooked_client.v1.coupons.create(params={"percent_off": 5})
        emulator.flush_webhooks()
        headers, body = receiver.received[0]
        parts = _signature_parts(headers["Stripe-Signature"])
        assert set(parts) == {"t", "v1"}
        signed = f"{parts['t']}.{body.decode()}".encode()
        expected = hmac.new(WEBHOOK_SECRET.encode(), signed, hashlib.sha256).hexdigest()
        assert parts["v1"] == expected
        # The key is the whole "whsec_..." string, not the part after the prefix.
        stripped = WEBHOOK_SECRET.removeprefix("whsec_").encode()
        assert parts["v1"] != hmac.new(stripped, signed, hashlib.sha256).hexdigest()


class TestRetryTiming:
    def test_retries_follow_the_configured_delays_each_signed_afresh(
        self, receiver: Receiver
    ) -> None:
        """Delays (0.4, 1.1): attempts about 0.4 s then 1.1 s apart, each with the time of its
        own attempt in t (so the last differs from the first) and a signature that verifies."""
        receiver.statuses = [500, 500]
        emulator = start_emulator(
            [AccountConfig(SECRET_KEY, receiver.url, WEBHOOK_SECRET)],
            webhook_retry_delays=(0.4, 1.1),
        )
        try:
            make_client(emulator, SECRET_KEY).v1.coupons.create(params={"percent_off": 5})
            emulator.flush_webhooks(timeout=10)
            [delivery] = emulator.webhook_deliveries(type="coupon.created")
        finally:
            emulator.stop()
        assert [a["status"] for a in delivery["attempts"]] == [500, 500, 200]
        starts = [monotonic for monotonic, _ in receiver.times]
        gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
        assert 0.35 <= gaps[0] < 1.0, gaps
        assert 1.05 <= gaps[1] < 1.8, gaps
        stamps = []
        for (headers, body), (_, wall) in zip(receiver.received, receiver.times, strict=True):
            t = int(_signature_parts(headers["Stripe-Signature"])["t"])
            assert abs(t - wall) <= 1.5
            stripe.Webhook.construct_event(body.decode(), headers["Stripe-Signature"],
                                           WEBHOOK_SECRET)  # fmt: skip
            stamps.append(t)
        assert stamps == sorted(stamps)
        assert stamps[-1] > stamps[0]
        assert len({body for _, body in receiver.received}) == 1  # same event, new signature


class TestUnreachableEndpoint:
    def test_refused_connections_are_retried_then_given_up_and_logged(
        self, emulator: RunningEmulator
    ) -> None:
        """A closed port: every attempt (1 + 2 retries) is logged with the connection error."""
        emulator.add_account(SECRET_KEY, _closed_port_url(), WEBHOOK_SECRET)
        client = make_client(emulator, SECRET_KEY)
        client.v1.coupons.create(params={"percent_off": 5})
        emulator.flush_webhooks(timeout=10)
        [delivery] = emulator.webhook_deliveries(type="coupon.created")
        assert delivery["status"] == "failed"
        assert [a["attempt"] for a in delivery["attempts"]] == [1, 2, 3]
        for attempt in delivery["attempts"]:
            assert attempt["status"] is None
            assert "Connect" in attempt["error"], attempt
        assert client.v1.events.retrieve(delivery["event"]).pending_webhooks == 1


class TestFlushDeadline:
    def test_a_flush_past_its_deadline_says_what_is_pending(self, receiver: Receiver) -> None:
        """With a 30 s retry pending, flush(timeout=0.5) raises the emulator's message within
        seconds (not a socket timeout), and the delivery itself carries on."""
        receiver.statuses = [500]
        emulator = start_emulator(
            [AccountConfig(SECRET_KEY, receiver.url, WEBHOOK_SECRET)],
            webhook_retry_delays=(30.0,),
        )
        try:
            make_client(emulator, SECRET_KEY).v1.coupons.create(params={"percent_off": 5})
            started = time.monotonic()
            with pytest.raises(WebhooksPending) as caught:
                emulator.flush_webhooks(timeout=0.5)
            assert 0.45 <= time.monotonic() - started < 5
            [delivery] = emulator.webhook_deliveries(type="coupon.created")
        finally:
            emulator.stop()
        message = str(caught.value)
        assert message.startswith("1 webhook deliveries still pending after 0.5 s")
        assert delivery["event"] in message
        assert receiver.url in message
        assert delivery["status"] == "pending"

    def test_deliveries_outlive_a_flush_that_timed_out(self, receiver: Receiver) -> None:
        """A timed-out flush cancels nothing: a later flush sees the retry succeed."""
        receiver.statuses = [500]
        slow = start_emulator(
            [AccountConfig(SECRET_KEY, receiver.url, WEBHOOK_SECRET)],
            webhook_retry_delays=(0.5,),
        )
        try:
            make_client(slow, SECRET_KEY).v1.coupons.create(params={"percent_off": 5})
            with pytest.raises(WebhooksPending):
                slow.flush_webhooks(timeout=0.1)
            slow.flush_webhooks(timeout=10)
            [delivery] = slow.webhook_deliveries(type="coupon.created")
        finally:
            slow.stop()
        assert [a["status"] for a in delivery["attempts"]] == [500, 200]
        assert delivery["status"] == "succeeded"

    @pytest.mark.parametrize("timeout", [0, -1, 3601, "soon"])
    def test_bad_deadline_is_a_400_naming_timeout(
        self, emulator: RunningEmulator, timeout: object
    ) -> None:
        """The deadline is a number of seconds, more than 0 and at most an hour."""
        with pytest.raises(urllib.error.HTTPError) as caught:
            emulator._call("POST", "/_emulator/webhooks/flush", {"timeout": timeout})
        assert caught.value.code == 400
        assert json.loads(caught.value.read())["error"]["param"] == "timeout"
