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
from stripe_emulator.testing import RunningEmulator, start_emulator

from .helpers import SECRET_KEY, bearer, make_client, raw


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

    def test_spent_startup_fault_stays_spent_after_clear(self) -> None:
        """A counted start-up fault that has fired is not brought back (never at count 0,
        which would fire for ever) by clearing run-time faults; rearm() restores it."""
        faults = Faults([Fault(error="hang", count=1)])
        assert faults.draw("GET", "/v1/x", "/v1/x").error == "hang"
        faults.clear()
        assert faults.draw("GET", "/v1/x", "/v1/x").error is None
        faults.rearm()
        assert faults.draw("GET", "/v1/x", "/v1/x").error == "hang"
        assert faults.draw("GET", "/v1/x", "/v1/x").error is None

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("POST /v1/payment_intents=rate_limit:0.5",
             Fault("POST /v1/payment_intents", error="rate_limit", rate=0.5)),
            ("*=hang::1", Fault("*", error="hang", count=1)),
            ("*=api_error", Fault("*", error="api_error")),
            ("GET /v1/events=latency_ms=250:1:3", Fault("GET /v1/events", latency_ms=250,
                                                       count=3)),
        ],
    )  # fmt: skip
    def test_parse(self, text: str, expected: Fault) -> None:
        """ROUTE=ERROR[:RATE[:COUNT]]; an empty RATE is 1; latency_ms=N instead of an error."""
        assert Fault.parse(text) == expected

    def test_route_must_be_a_v1_route_or_star(self) -> None:
        """A route aiohttp would never match is refused, at start and at run time alike."""
        with pytest.raises(ValueError, match="route must be"):
            Fault("/v1/coupons")
        with pytest.raises(ValueError, match="route must be"):
            Fault.from_json({"route": "PUT /v1/coupons", "error": "hang"})

    def test_invalid_fault(self) -> None:
        """Unknown errors and rates outside 0..1 are refused."""
        with pytest.raises(ValueError, match="error must be one of"):
            Fault(error="boom")
        with pytest.raises(ValueError, match="rate must be between"):
            Fault(rate=2)


class TestStartupFaults:
    def test_start_emulator_takes_fault_specs(self) -> None:
        """faults=[...] as --fault writes them: a counted 500 on one route, latency on all;
        DELETE /_emulator/faults leaves them, and a reset re-arms the counted one."""
        emulator = start_emulator(
            [SECRET_KEY],
            faults=["POST /v1/coupons=api_error::1", Fault("*", latency_ms=150)],
        )
        try:
            client = make_client(emulator, SECRET_KEY)
            started = time.monotonic()
            with pytest.raises(stripe.APIError):
                client.v1.coupons.create(params={"percent_off": 5})
            assert time.monotonic() - started >= 0.15
            emulator.clear_faults()
            assert client.v1.coupons.create(params={"percent_off": 5})  # spent, not re-armed
            listed = emulator._call("GET", "/_emulator/faults")["data"]
            assert [(f["route"], f["latency_ms"]) for f in listed] == [("*", 150)]
            emulator.reset()
            with pytest.raises(stripe.APIError):
                client.v1.coupons.create(params={"percent_off": 5})
            assert client.v1.coupons.create(params={"percent_off": 5})
        finally:
            emulator.stop()
