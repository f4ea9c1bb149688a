"""``--state FILE``: objects, events and idempotency keys outlive a restart, even a crash."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from stripe_emulator.persistence import write_atomically
from stripe_emulator.testing import ProcessEmulator, start_emulator_process

KEY = "sk_test_persist"


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "stripe-emulator.json"


@pytest.fixture
def started(state_file: Path) -> Iterator[list[ProcessEmulator]]:
    """Emulators started by the test, stopped at its end whatever happened."""
    running: list[ProcessEmulator] = []
    yield running
    for emulator in running:
        if emulator.process.poll() is None:
            emulator.stop()


def _start(state_file: Path, running: list[ProcessEmulator]) -> ProcessEmulator:
    emulator = start_emulator_process("--account", KEY, "--state", str(state_file))
    running.append(emulator)
    return emulator


def _client(emulator: ProcessEmulator) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": emulator.url}, max_network_retries=0)


def _post(emulator: ProcessEmulator, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(  # noqa: S310 - loopback
        emulator.url + path, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return json.loads(response.read())


def test_objects_survive_a_restart_and_can_be_paid(
    state_file: Path, started: list[ProcessEmulator]
) -> None:
    """A PaymentIntent, a Checkout Session, events and an idempotency key made before a stop
    are there after a start with the same file; both are then paid."""
    first = _start(state_file, started)
    client = _client(first)
    intent = client.v1.payment_intents.create(
        {"amount": 1500, "currency": "usd"}, {"idempotency_key": "order-1"}
    )
    session = client.v1.checkout.sessions.create(
        {"mode": "payment", "success_url": "https://shop.example/ok",
         "line_items": [{"quantity": 2, "price_data": {"currency": "usd", "unit_amount": 700,
                                                       "product_data": {"name": "Tea"}}}]}
    )  # fmt: skip
    first.stop()

    second = _start(state_file, started)
    client = _client(second)
    assert client.v1.payment_intents.retrieve(intent.id).amount == 1500
    again = client.v1.payment_intents.create(
        {"amount": 1500, "currency": "usd"}, {"idempotency_key": "order-1"}
    )
    assert again.id == intent.id  # replayed, not a second PaymentIntent
    paid = client.v1.payment_intents.confirm(
        intent.id, {"payment_method": "pm_card_visa", "return_url": "https://shop.example/done"}
    )
    assert paid.status == "succeeded"
    assert [item.amount_total for item in client.v1.checkout.sessions.line_items.list(session.id)
            ] == [1400]  # fmt: skip
    _post(second, f"/_emulator/checkout/{session.id}/pay",
          {"card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040,
                    "cvc": "123"}, "email": "buyer@example.com"})  # fmt: skip
    assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"
    types = [event.type for event in client.v1.events.list({"limit": 100}).data]
    assert {"payment_intent.created", "checkout.session.completed"} <= set(types)


def test_every_answered_create_survives_a_kill(
    state_file: Path, started: list[ProcessEmulator]
) -> None:
    """SIGKILL while creates are in flight: the file still loads, and every PaymentIntent whose
    id reached a caller is there (each answer waits for its write)."""
    emulator = _start(state_file, started)
    answered: list[str] = []
    stop = threading.Event()

    def create_until_stopped() -> None:
        client = _client(emulator)
        while not stop.is_set():
            try:
                answered.append(client.v1.payment_intents.create(
                    {"amount": 100, "currency": "usd"}).id)  # fmt: skip
            except stripe.APIConnectionError:
                return

    workers = [threading.Thread(target=create_until_stopped) for _ in range(4)]
    for worker in workers:
        worker.start()
    while len(answered) < 20:  # the kill lands while the workers are still creating
        threading.Event().wait(0.01)
    emulator.process.send_signal(signal.SIGKILL)
    emulator.process.wait()
    stop.set()
    for worker in workers:
        worker.join(timeout=30)

    client = _client(_start(state_file, started))
    listed = client.v1.payment_intents.list({"limit": 100}).auto_paging_iter()
    kept = {intent.id for intent in listed}
    assert set(answered) <= kept


def test_reset_clears_the_file(state_file: Path, started: list[ProcessEmulator]) -> None:
    """After /_emulator/reset a restart finds nothing; the account itself stays."""
    first = _start(state_file, started)
    intent = _client(first).v1.payment_intents.create({"amount": 900, "currency": "usd"})
    first.reset()
    first.stop()
    client = _client(_start(state_file, started))
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.retrieve(intent.id)
    assert raised.value.code == "resource_missing"


def test_an_interrupted_write_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails before its rename leaves the old file whole and no temporary file."""
    target = tmp_path / "state.json"
    write_atomically(target, b'{"old": true}')

    def disk_failure(fd: int) -> None:
        raise OSError("disk failed")

    monkeypatch.setattr("os.fsync", disk_failure)
    with pytest.raises(OSError, match="disk failed"):
        write_atomically(target, b'{"new": true}')
    assert target.read_bytes() == b'{"old": true}'
    assert [path.name for path in tmp_path.iterdir()] == ["state.json"]


def test_a_file_that_is_not_state_is_refused(state_file: Path) -> None:
    """A damaged file stops the start with a clear message instead of being overwritten."""
    state_file.write_text("{not json")
    result = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "stripe_emulator", "--port", "0", "--state", str(state_file)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "is not an emulator state file" in result.stderr
    assert state_file.read_text() == "{not json"
