"""One emulator (in a thread) for the whole session, reset before every test."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import stripe
from aiohttp import web

from stripe_emulator.testing import RunningEmulator, start_emulator

from . import shapes
from .helpers import SECRET_KEY, WEBHOOK_SECRET, Receiver, make_client


class ShapeRecorder:
    """Every /v1 body the emulator sends to a secret key, checked against Stripe's schemas.

    Publishable-key answers are left out: Stripe itself sends Stripe.js a subset of fields.
    """

    def __init__(self) -> None:
        self.bodies: list[tuple[str, bytes]] = []

    async def record(self, request: web.Request, response: web.StreamResponse) -> None:
        if not request.path.startswith("/v1/") or not isinstance(response, web.Response):
            return
        form_key = (await request.post()).get("key") if request.method == "POST" else None
        if "pk_" in request.headers.get("Authorization", "") or str(form_key).startswith("pk_"):
            return
        if response.content_type == "application/json" and isinstance(response.body, bytes):
            self.bodies.append((f"{request.method} {request.path} -> {response.status}: ",
                                response.body))  # fmt: skip

    def problems(self) -> list[str]:
        found: list[str] = []
        for where, body in self.bodies:
            found += shapes.problems(json.loads(body), where)
        return found


@pytest.fixture(scope="session")
def shape_recorder() -> ShapeRecorder:
    return ShapeRecorder()


@pytest.fixture(scope="session")
def emulator(shape_recorder: ShapeRecorder) -> Iterator[RunningEmulator]:
    running = start_emulator(webhook_retry_delays=(0.05, 0.1), on_response=shape_recorder.record)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _fresh(emulator: RunningEmulator, shape_recorder: ShapeRecorder) -> Iterator[None]:
    """Each test starts from an empty emulator, and fails if any /v1 answer it caused (or any
    event it made) does not match the schemas generated from Stripe's published types."""
    emulator.reset()
    shape_recorder.bodies.clear()
    yield
    for name in emulator.health()["accounts"]:
        events = urllib.request.Request(  # noqa: S310 - loopback
            f"{emulator.url}/v1/events?limit=100",
            headers={"Authorization": f"Bearer sk_test_{name}"},
        )
        urllib.request.urlopen(events, timeout=10).close()  # noqa: S310 - loopback
    found = shape_recorder.problems()
    assert not found, f"{len(found)} answers unlike Stripe's schemas:\n" + "\n".join(found[:30])


@pytest.fixture
def client(emulator: RunningEmulator) -> stripe.StripeClient:
    return make_client(emulator, SECRET_KEY)


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
