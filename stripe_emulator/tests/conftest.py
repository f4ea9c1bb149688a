"""One emulator (in a thread) for the whole session, reset before every test."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import stripe

from stripe_emulator.testing import RunningEmulator, start_emulator

SECRET_KEY = "sk_test_emucore"
OTHER_SECRET_KEY = "sk_test_emuother"
WEBHOOK_SECRET = "whsec_emucore0123456789abcdefghijklmnopqrstuv"


@pytest.fixture(scope="session")
def emulator() -> Iterator[RunningEmulator]:
    running = start_emulator(webhook_retry_delays=(0.05, 0.1))
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _fresh(emulator: RunningEmulator) -> None:
    emulator.reset()


@pytest.fixture
def client(emulator: RunningEmulator) -> stripe.StripeClient:
    return make_client(emulator, SECRET_KEY)


def make_client(emulator: RunningEmulator, key: str, **options: Any) -> stripe.StripeClient:
    options.setdefault("max_network_retries", 0)
    return stripe.StripeClient(key, base_addresses={"api": emulator.url}, **options)


@dataclass
class Receiver:
    """A webhook endpoint: records (headers, body) and answers the queued statuses, then 200."""

    url: str = ""
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    times: list[tuple[float, float]] = field(default_factory=list)  # (monotonic, wall) at receipt

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.times.append((time.monotonic(), time.time()))
            state.received.append((dict(self.headers), body))
            self.send_response(state.statuses.pop(0) if state.statuses else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # A short poll interval: shutdown() waits for it, 0.5 s by default, on every test.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def hooked_client(emulator: RunningEmulator, receiver: Receiver) -> stripe.StripeClient:
    """A client whose account posts its events to ``receiver``."""
    emulator.add_account(SECRET_KEY, receiver.url, WEBHOOK_SECRET)
    return make_client(emulator, SECRET_KEY)


ConfirmCard = Callable[..., Any]
