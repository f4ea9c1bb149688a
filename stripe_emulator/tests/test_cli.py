# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""The command line and the subprocess helper."""

from __future__ import annotations

import json
import urllib.request

import pytest

from stripe_emulator.__main__ import parse_args
from stripe_emulator.config import AccountConfig
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
