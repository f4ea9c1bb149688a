"""Start the emulator from tests: in a background thread, or as a subprocess.

    emulator = start_emulator(accounts=[AccountConfig("sk_test_usd")])
    client = stripe.StripeClient("sk_test_usd", base_addresses={"api": emulator.url})
    ...
    emulator.flush_webhooks(); emulator.requests(); emulator.stop()

Accounts: keys given at start (``accounts=``) or added with ``add_account`` are the only ones
that work once ``auto_accounts=False`` is passed, or whenever accounts are given at start; an
unknown key then gets Stripe's 401, as a mistyped key does. Started with no accounts and no
``auto_accounts``, the emulator is in demo mode: any ``sk_test_X`` creates account ``X``.
Suites that add their accounts after start and test a bad key pass ``auto_accounts=False``.

``start_emulator`` runs the server on a free port in a daemon thread with its own event loop;
``start_emulator_process`` runs ``python -m stripe_emulator`` and reads its listening line. Both
return an object with the same control methods, which talk to ``/_emulator`` over HTTP.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from stripe_emulator import server
from stripe_emulator.app import ResponseHook
from stripe_emulator.config import AccountConfig, Options
from stripe_emulator.faults import Fault

START_TIMEOUT = 15.0
FLUSH_TIMEOUT = 60.0  # the emulator's own default deadline for a flush
FLUSH_MARGIN = 15.0  # how much longer the client's socket waits than the flush deadline


class WebhooksPending(AssertionError):
    """``flush_webhooks`` ran out of time; the message names the pending deliveries."""


class RunningEmulator:
    """A started emulator: ``url`` plus thin wrappers around the control routes."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, timeout: float = 60
    ) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        request = urllib.request.Request(self.url + path, data, headers, method=method)  # noqa: S310
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback
            return json.loads(response.read())

    def health(self) -> dict[str, Any]:
        """Notice, API version, account names and whether unknown keys make accounts."""
        found: dict[str, Any] = self._call("GET", "/_emulator/health")
        return found

    def reset(self) -> None:
        self._call("POST", "/_emulator/reset")

    def add_account(
        self, secret_key: str, webhook_url: str | None = None, webhook_secret: str | None = None
    ) -> dict[str, Any]:
        body = {"secret_key": secret_key, "webhook_url": webhook_url,
                "webhook_secret": webhook_secret}  # fmt: skip
        result: dict[str, Any] = self._call("POST", "/_emulator/accounts", body)
        return result

    def flush_webhooks(self, timeout: float = FLUSH_TIMEOUT) -> None:
        """Block until every queued webhook delivery has succeeded or given up.

        The emulator gives up waiting after ``timeout`` seconds and says which deliveries are
        still pending; this raises ``WebhooksPending`` with that message. The socket waits
        longer than the emulator does, so the emulator's answer always arrives first.
        """
        try:
            self._call("POST", "/_emulator/webhooks/flush", {"timeout": timeout},
                       timeout=timeout + FLUSH_MARGIN)  # fmt: skip
        except urllib.error.HTTPError as error:
            if error.code != 504:
                raise
            raise WebhooksPending(json.loads(error.read())["error"]["message"]) from None

    def webhook_deliveries(
        self,
        event: str | None = None,
        type: str | None = None,
    ) -> list[dict[str, Any]]:
        query = "&".join(f"{k}={v}" for k, v in (("event", event), ("type", type)) if v)
        found: list[dict[str, Any]] = self._call("GET", f"/_emulator/webhook_deliveries?{query}")[
            "data"
        ]
        return found

    def resend_event(self, event_id: str) -> None:
        """Deliver an event once more, as the Dashboard's "Resend" does."""
        self._call("POST", f"/_emulator/events/{event_id}/resend")

    def requests(self) -> list[dict[str, Any]]:
        """The /v1 requests received so far: method, path, account, params, status..."""
        found: list[dict[str, Any]] = self._call("GET", "/_emulator/requests")["data"]
        return found

    def set_fault(
        self,
        route: str = "*",
        *,
        latency_ms: int = 0,
        error: str | None = None,
        rate: float = 1.0,
        count: int | None = None,
    ) -> None:
        self._call(
            "POST",
            "/_emulator/faults",
            {"route": route, "latency_ms": latency_ms, "error": error, "rate": rate,
             "count": count},
        )  # fmt: skip

    def clear_faults(self) -> None:
        self._call("DELETE", "/_emulator/faults")

    def advance_clock(self, seconds: int) -> None:
        self._call("POST", "/_emulator/clock", {"advance_seconds": seconds})

    def stop(self) -> None:
        raise NotImplementedError


class _ThreadEmulator(RunningEmulator):
    def __init__(self, url: str, loop: asyncio.AbstractEventLoop, thread: threading.Thread,
                 stop_event: asyncio.Event) -> None:  # fmt: skip
        super().__init__(url)
        self._loop, self._thread, self._stop_event = loop, thread, stop_event

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop_event.set)
        self._thread.join(timeout=10)


class ProcessEmulator(RunningEmulator):
    def __init__(self, url: str, process: subprocess.Popen[str]) -> None:
        super().__init__(url)
        self.process = process

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _options(accounts: Iterable[AccountConfig | str], options: dict[str, Any]) -> Options:
    configs = tuple(a if isinstance(a, AccountConfig) else AccountConfig.parse(a)
                    for a in accounts)  # fmt: skip
    if "faults" in options:  # "ROUTE=ERROR[:RATE[:COUNT]]" strings, as --fault takes, or Faults
        options["faults"] = tuple(f if isinstance(f, Fault) else Fault.parse(f)
                                  for f in options["faults"])  # fmt: skip
    return replace(Options(port=0), accounts=configs, **options)


def start_emulator(
    accounts: Iterable[AccountConfig | str] = (),
    *,
    on_response: ResponseHook | None = None,
    **options: Any,
) -> RunningEmulator:
    """Serve on a free port (unless ``port=`` is given) in a background thread.

    ``on_response`` is awaited with each (request, response) as it is sent, on the emulator's
    thread (the emulator's own suite checks every /v1 body against Stripe's schemas with it).

    ``options`` are ``config.Options`` fields: ``auto_accounts=False``,
    ``webhook_retry_delays=(0.05, 0.1)``, ``latency_ms``, ``failure_rate``,
    ``faults=["POST /v1/payment_intents=rate_limit:0.5"]``, ``webhook_url``/``webhook_secret``...
    """
    settings = _options(accounts, options)
    ready = threading.Event()
    started: dict[str, Any] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        stop_event = asyncio.Event()

        async def main() -> None:
            try:
                runner, url = await server.start(settings, on_response)
            except BaseException as exc:
                started["error"] = exc
                ready.set()
                raise
            started.update(url=url, loop=loop, stop=stop_event)
            ready.set()
            await stop_event.wait()
            await runner.cleanup()

        try:
            loop.run_until_complete(main())
        except BaseException:  # noqa: S110 - reported to the starting thread via ``started``
            pass
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="stripe-emulator", daemon=True)
    thread.start()
    if not ready.wait(START_TIMEOUT):
        raise RuntimeError("the Stripe emulator did not start in time")
    if "error" in started:
        raise RuntimeError(f"the Stripe emulator failed to start: {started['error']}")
    return _ThreadEmulator(started["url"], started["loop"], thread, started["stop"])


def start_emulator_process(*args: str, port: int = 0) -> ProcessEmulator:
    """Run ``python -m stripe_emulator --port PORT ARGS...`` and wait for its listening line."""
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "stripe_emulator", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith(server.LISTENING_PREFIX):
        process.kill()
        raise RuntimeError(f"the Stripe emulator did not start: {line!r}")
    # Keep draining stdout so the child never blocks on a full pipe.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return ProcessEmulator(line.removeprefix(server.LISTENING_PREFIX), process)
