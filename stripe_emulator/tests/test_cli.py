# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""The command line and the subprocess helper."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from stripe_emulator.__main__ import parse_args
from stripe_emulator.config import AccountConfig
from stripe_emulator.faults import Fault
from stripe_emulator.testing import start_emulator_process


class TestParseArgs:
    def test_defaults(self) -> None:
        """Loopback, port 12111, retry delays 1,5,25."""
        options = parse_args([])
        assert (options.host, options.port, options.webhook_retry_delays) == (
            "127.0.0.1", 12111, (1.0, 5.0, 25.0),
        )  # fmt: skip

    def test_options_and_env(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Flags win; STRIPE_EMULATOR_* fills the rest."""
        monkeypatch.setenv("STRIPE_EMULATOR_LATENCY_MS", "40")
        options = parse_args(
            ["--account", "sk_test_a,http://h/hook,whsec_a", "--account", "sk_test_b",
             "--failure-rate", "0.1", "--webhook-retry-delays", "0.1,0.2"]
        )  # fmt: skip
        assert options.accounts == (
            AccountConfig("sk_test_a", "http://h/hook", "whsec_a"), AccountConfig("sk_test_b"),
        )  # fmt: skip
        assert (options.latency_ms, options.failure_rate) == (40, 0.1)
        assert options.webhook_retry_delays == (0.1, 0.2)

    def test_auto_accounts_flag(self) -> None:
        """Unset means "only without --account"; the flag and its negation force it."""
        assert parse_args([]).auto_accounts is None
        assert parse_args(["--auto-accounts"]).auto_accounts is True
        assert parse_args(["--account", "sk_test_a", "--no-auto-accounts"]).auto_accounts is False

    def test_faults_per_route(self) -> None:
        """--fault is repeatable: ROUTE=ERROR[:RATE[:COUNT]] or ROUTE=latency_ms=N."""
        options = parse_args(
            ["--fault", "POST /v1/payment_intents=rate_limit:0.5", "--fault", "*=hang::1",
             "--fault", "GET /v1/payment_intents/{intent}=latency_ms=300"]
        )  # fmt: skip
        assert options.faults == (
            Fault("POST /v1/payment_intents", error="rate_limit", rate=0.5),
            Fault("*", error="hang", count=1),
            Fault("GET /v1/payment_intents/{intent}", latency_ms=300),
        )

    def test_faults_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """STRIPE_EMULATOR_FAULTS takes several, separated by ';'; --fault replaces them."""
        monkeypatch.setenv(
            "STRIPE_EMULATOR_FAULTS", "POST /v1/coupons=api_error::2; *=latency_ms=50:0.25"
        )
        assert parse_args([]).faults == (
            Fault("POST /v1/coupons", error="api_error", count=2),
            Fault("*", latency_ms=50, rate=0.25),
        )
        assert parse_args(["--fault", "*=hang"]).faults == (Fault("*", error="hang"),)

    @pytest.mark.parametrize(
        "text",
        ["*", "*=boom", "*=hang:2", "*=hang::0", "*=hang:0.5:1:9", "POST/v1/coupons=hang",
         "post /v1/coupons=hang", "*=latency_ms=soon"],
    )  # fmt: skip
    def test_bad_fault_is_a_usage_error(self, text: str) -> None:
        """A malformed --fault stops the start with a message, not a traceback."""
        with pytest.raises(SystemExit):
            parse_args(["--fault", text])

    def test_bad_failure_rate(self) -> None:
        """A failure rate outside 0..1 is a usage error."""
        with pytest.raises(SystemExit):
            parse_args(["--failure-rate", "2"])


class TestProcess:
    def test_listening_line_and_health(self) -> None:
        """`--port 0` prints the chosen URL first; health says it is a test emulator."""
        emulator = start_emulator_process("--account", "sk_test_cli")
        try:
            with urllib.request.urlopen(f"{emulator.url}/_emulator/health") as response:  # noqa: S310
                health = json.loads(response.read())
        finally:
            emulator.stop()
        assert health["accounts"] == ["cli"]
        assert "no money moves" in health["emulator_notice"]

    def test_fault_given_at_start_fires(self) -> None:
        """A --fault reaches the running process: one 429 on its route, then normal answers."""
        emulator = start_emulator_process(
            "--account", "sk_test_cli", "--fault", "POST /v1/coupons=rate_limit::1"
        )
        try:
            statuses = [_post_coupon(emulator.url) for _ in range(2)]
        finally:
            emulator.stop()
        assert statuses == [429, 200]


def _post_coupon(url: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{url}/v1/coupons", b"percent_off=5", {"Authorization": "Bearer sk_test_cli"}
    )
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
