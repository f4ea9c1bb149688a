# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Capacity honesty and bounded memory: the server's own in-flight count, pruned idempotency
keys, a capped request log, lazy pagination, and a bench that validates before it starts."""

from __future__ import annotations

import threading

import pytest
import stripe

from stripe_emulator import bench
from stripe_emulator.config import Options
from stripe_emulator.state import REQUEST_LOG_SIZE, EmulatorState
from stripe_emulator.testing import RunningEmulator

from .helpers import SECRET_KEY, make_client


class TestServerSideInFlight:
    def test_peak_counts_requests_held_by_the_server(
        self, emulator: RunningEmulator, client: stripe.StripeClient
    ) -> None:
        """Six requests held by injected latency show as six in flight on the server."""
        emulator._call("DELETE", "/_emulator/stats")
        emulator.set_fault("GET /v1/payment_intents", latency_ms=300)
        threads = [threading.Thread(target=client.v1.payment_intents.list) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stats = emulator._call("GET", "/_emulator/stats")
        assert stats["peak_in_flight"] == 6
        assert stats["in_flight"] == 0
        assert emulator.health()["stats"]["served"] >= 6


class TestBoundedMemory:
    def test_idempotency_keys_are_forgotten_after_24_hours(
        self, emulator: RunningEmulator, client: stripe.StripeClient
    ) -> None:
        """Within 24 h a reused key with other parameters conflicts; after, it runs anew."""
        options = {"idempotency_key": "old-key"}
        client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"},
                                         options=options)  # fmt: skip
        with pytest.raises(stripe.IdempotencyError):
            client.v1.payment_intents.create(params={"amount": 600, "currency": "usd"},
                                             options=options)  # fmt: skip
        emulator.advance_clock(24 * 3600 + 1)
        again = client.v1.payment_intents.create(params={"amount": 600, "currency": "usd"},
                                                 options=options)  # fmt: skip
        assert again.amount == 600

    def test_request_log_is_capped(self) -> None:
        """The request log keeps at most REQUEST_LOG_SIZE entries, after a reset too."""
        state = EmulatorState(Options())
        assert state.requests.maxlen == REQUEST_LOG_SIZE
        state.reset()
        assert state.requests.maxlen == REQUEST_LOG_SIZE


class TestLazyPagination:
    def test_pages_over_many_objects(self, emulator: RunningEmulator) -> None:
        """starting_after and ending_before still page correctly through the lazy walk."""
        client = make_client(emulator, SECRET_KEY)
        made = [client.v1.payment_intents.create(params={"amount": 100 + i, "currency": "usd"}).id
                for i in range(7)]  # fmt: skip
        newest_first = made[::-1]
        first = client.v1.payment_intents.list(params={"limit": 3})
        assert ([i.id for i in first.data], first.has_more) == (newest_first[:3], True)
        second = client.v1.payment_intents.list(
            params={"limit": 3, "starting_after": newest_first[2]}
        )
        assert ([i.id for i in second.data], second.has_more) == (newest_first[3:6], True)
        back = client.v1.payment_intents.list(params={"limit": 2, "ending_before": newest_first[5]})
        assert ([i.id for i in back.data], back.has_more) == (newest_first[3:5], True)
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.list(params={"starting_after": "pi_missing"})
        assert caught.value.param == "starting_after"


class TestBenchArguments:
    def test_bad_latency_is_refused_before_any_child_starts(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """--latency-ms 0 is a usage error, and no emulator process is started for it."""

        def never(*args: object, **kwargs: object) -> None:
            raise AssertionError("the emulator was started before the arguments were checked")

        monkeypatch.setattr(bench, "start_emulator_process", never)
        with pytest.raises(SystemExit) as caught:
            bench.main(["--latency-ms", "0"])
        assert caught.value.code == 2
