# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Injected faults: 500, 429, latency and hanging responses, per route or global."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import stripe

from stripe_emulator.faults import Fault, Faults
from stripe_emulator.testing import RunningEmulator

from .conftest import SECRET_KEY, make_client
from .test_api import bearer, raw


class TestInjectedOverHttp:
    def test_api_error_then_recovery(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """A counted 500 fires once on its route; other routes are untouched."""
        emulator.set_fault("POST /v1/payment_intents", error="api_error", count=1)
        client.v1.coupons.create(params={"percent_off": 5})
        with pytest.raises(stripe.APIError) as caught:
            client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})
        assert caught.value.http_status == 500
        assert client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})

    def test_stored_500_is_replayed_and_not_retried(self, emulator: RunningEmulator) -> None:
        """An injected 500 is stored under the idempotency key, as Stripe documents for v1: it
        carries Stripe-Should-Retry: false, so the SDK does not retry, and a retry with the
        same key gets it replayed with nothing created."""
        emulator.set_fault("*", error="api_error", count=1)
        retrying = make_client(emulator, SECRET_KEY, max_network_retries=2)
        with pytest.raises(stripe.APIError) as caught:
            retrying.v1.payment_intents.create(
                params={"amount": 500, "currency": "usd"}, options={"idempotency_key": "k500"}
            )
        assert caught.value.http_status == 500
        assert caught.value.headers["Stripe-Should-Retry"] == "false"
        creates = [r for r in emulator.requests() if r["path"] == "/v1/payment_intents"]
        assert len(creates) == 1
        with pytest.raises(stripe.APIError) as again:
            retrying.v1.payment_intents.create(
                params={"amount": 500, "currency": "usd"}, options={"idempotency_key": "k500"}
            )
        assert again.value.headers["Idempotent-Replayed"] == "true"
        assert make_client(emulator, SECRET_KEY).v1.payment_intents.list().data == []

    def test_idempotency_conflict_409_may_be_retried(self, emulator: RunningEmulator) -> None:
        """A 409 idempotency_key_in_use carries no Stripe-Should-Retry: false (the SDK retries
        409s, and the first request will have finished by then)."""
        emulator.set_fault("POST /v1/payment_intents", latency_ms=400, count=1)
        body = "amount=500&currency=usd"
        headers = {**bearer(SECRET_KEY), "Idempotency-Key": "busy"}
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(raw, emulator, "POST", "/v1/payment_intents", body, headers)
            time.sleep(0.15)
            status, got, _ = raw(emulator, "POST", "/v1/payment_intents", body, headers)
            assert first.result()[0] == 200
        assert status == 409
        assert "Stripe-Should-Retry" not in got

    def test_sdk_retry_after_a_hang_runs_the_request(self, emulator: RunningEmulator) -> None:
        """A request that was never answered is not stored: the SDK's retry creates the PI."""
        emulator.set_fault("*", error="hang", count=1)
        retrying = make_client(
            emulator,
            SECRET_KEY,
            max_network_retries=1,
            http_client=stripe.RequestsClient(timeout=0.3),
        )
        intent = retrying.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})
        assert intent.status == "requires_payment_method"

    def test_rate_limit(self, client: stripe.StripeClient, emulator: RunningEmulator) -> None:
        """429 with code rate_limit maps to stripe.RateLimitError."""
        emulator.set_fault("GET /v1/payment_intents/{intent}", error="rate_limit")
        with pytest.raises(stripe.RateLimitError) as caught:
            client.v1.payment_intents.retrieve("pi_whatever")
        assert caught.value.http_status == 429
        assert caught.value.json_body["error"]["code"] == "rate_limit"

    def test_hang_trips_the_client_timeout_and_ends_quietly(
        self, emulator: RunningEmulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A hanging response is cut by the client's timeout; the emulator then ends it
        without an error traceback, and logs it."""
        emulator.set_fault("*", error="hang", count=1)
        impatient = make_client(
            emulator, SECRET_KEY, http_client=stripe.RequestsClient(timeout=0.3)
        )
        started = time.monotonic()
        with caplog.at_level(logging.ERROR), pytest.raises(stripe.APIConnectionError):
            impatient.v1.payment_intents.list()
        assert time.monotonic() - started < 5
        deadline = time.monotonic() + 3
        while not emulator.requests() and not caplog.records and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
        assert [entry["status"] for entry in emulator.requests()] == [500]

    def test_a_request_outliving_a_reset_is_not_logged_after_it(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """The request log starts empty after a reset, even if a slow request ends later."""
        emulator.set_fault("*", latency_ms=400, count=1)
        slow = threading.Thread(target=client.v1.payment_intents.list)
        slow.start()
        time.sleep(0.1)
        emulator.reset()
        slow.join()
        assert emulator.requests() == []

    def test_latency(self, client: stripe.StripeClient, emulator: RunningEmulator) -> None:
        """Latency delays the answer by about the given milliseconds."""
        emulator.set_fault("*", latency_ms=300)
        started = time.monotonic()
        client.v1.payment_intents.list()
        assert time.monotonic() - started >= 0.3
        emulator.clear_faults()


class TestFaultTable:
    def test_startup_faults_survive_clear(self) -> None:
        """Faults from the command line stay after clearing run-time ones."""
        faults = Faults([Fault(latency_ms=5)])
        faults.add(Fault(error="api_error"))
        faults.clear()
        assert faults.draw("GET", "/v1/x", "/v1/x").latency_ms == 5
        assert faults.draw("GET", "/v1/x", "/v1/x").error is None

    def test_invalid_fault(self) -> None:
        """Unknown errors and rates outside 0..1 are refused."""
        with pytest.raises(ValueError, match="error must be one of"):
            Fault(error="boom")
        with pytest.raises(ValueError, match="rate must be between"):
            Fault(rate=2)
