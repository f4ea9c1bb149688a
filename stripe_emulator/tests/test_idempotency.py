# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Idempotent POSTs (https://docs.stripe.com/api/idempotent_requests) through stripe-python."""

from __future__ import annotations

import threading
import time

import pytest
import stripe

from stripe_emulator.testing import RunningEmulator

from .helpers import make_client

PARAMS = {"amount": 700, "currency": "usd"}


class TestIdempotency:
    def test_replay_has_no_side_effects(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """Same key and params: same object, Idempotent-Replayed, no new PaymentIntent."""
        first = client.v1.payment_intents.create(params=PARAMS, options={"idempotency_key": "k1"})
        again = client.v1.payment_intents.create(params=PARAMS, options={"idempotency_key": "k1"})
        assert again.id == first.id
        assert again.last_response.headers.get("Idempotent-Replayed") == "true"
        assert "Idempotent-Replayed" not in first.last_response.headers
        assert len(client.v1.payment_intents.list().data) == 1
        created = client.v1.events.list(params={"type": "payment_intent.created"}).data
        assert len(created) == 1

    def test_different_params(self, client: stripe.StripeClient) -> None:
        """Same key with other params: idempotency_error with Stripe's message."""
        client.v1.payment_intents.create(params=PARAMS, options={"idempotency_key": "k2"})
        with pytest.raises(stripe.IdempotencyError) as caught:
            client.v1.payment_intents.create(
                params={**PARAMS, "amount": 800},
                options={"idempotency_key": "k2"},
            )
        assert "Try using a key other than 'k2'" in (caught.value.user_message or "")

    def test_different_endpoint(self, client: stripe.StripeClient) -> None:
        """Same key on another endpoint is an idempotency_error too."""
        client.v1.coupons.create(params={"percent_off": 10}, options={"idempotency_key": "k3"})
        with pytest.raises(stripe.IdempotencyError):
            client.v1.tax_rates.create(
                params={"display_name": "T", "percentage": 10, "inclusive": False},
                options={"idempotency_key": "k3"},
            )

    def test_validation_errors_are_not_stored(self, client: stripe.StripeClient) -> None:
        """A 400 from validation is not saved: the corrected retry with the key runs."""
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.payment_intents.create(
                params={"amount": 10, "currency": "usd"}, options={"idempotency_key": "k4"}
            )
        intent = client.v1.payment_intents.create(params=PARAMS, options={"idempotency_key": "k4"})
        assert intent.amount == 700

    def test_declines_are_replayed(self, client: stripe.StripeClient) -> None:
        """A 402 decline is stored: the retry gets the same error, and no second charge."""
        params = {
            **PARAMS,
            "confirm": True,
            "payment_method": "pm_card_chargeDeclined",
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        }
        errors = []
        for _ in range(2):
            with pytest.raises(stripe.CardError) as caught:
                client.v1.payment_intents.create(params=params, options={"idempotency_key": "k5"})
            errors.append(caught.value)
        assert errors[0].error.charge == errors[1].error.charge
        assert errors[1].headers.get("Idempotent-Replayed") == "true"

    def test_keys_are_per_account(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """The same key in two accounts makes two objects."""
        other = make_client(emulator, "sk_test_idemother")
        a = client.v1.payment_intents.create(params=PARAMS, options={"idempotency_key": "k6"})
        b = other.v1.payment_intents.create(params=PARAMS, options={"idempotency_key": "k6"})
        assert a.id != b.id

    def test_concurrent_use_is_a_conflict(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """While the first request runs, the same key answers 409 idempotency_key_in_use."""
        emulator.set_fault("POST /v1/payment_intents", latency_ms=400, count=1)
        first: list[stripe.PaymentIntent] = []
        thread = threading.Thread(
            target=lambda: first.append(
                client.v1.payment_intents.create(params=PARAMS, options={"idempotency_key": "k7"})
            )
        )
        thread.start()
        time.sleep(0.15)
        # stripe-python maps a 409 to APIError whatever its type.
        with pytest.raises(stripe.APIError) as caught:
            client.v1.payment_intents.create(params=PARAMS, options={"idempotency_key": "k7"})
        thread.join()
        assert caught.value.http_status == 409
        assert caught.value.json_body["error"]["code"] == "idempotency_key_in_use"
        assert first
        assert first[0].status == "requires_payment_method"
