"""``--state FILE``: accounts, objects, events and idempotency records that outlive the process.

When: every request that may change state (any /v1 or control request that is not a GET, and
a sweep or GET that expired sessions) waits for its snapshot to be on disk before its answer is
sent, so an id the caller has seen survives even a ``kill -9`` of the emulator. Writes are
grouped: requests that arrive while a write is running share the next one, so a burst costs
one or two writes, not one each. Debouncing (a write a moment later, flushed on shutdown) would
be cheaper but would lose the last moment's objects on a crash while the shop keeps their ids,
which is the very case the file exists for.

How: the whole state is serialised on the event loop (a consistent snapshot), then written by a
worker thread to a temporary file in the same folder, flushed and fsynced, and renamed over the
file with ``os.replace`` (atomic on POSIX), then the folder is fsynced so the rename itself is
durable. A crash at any point leaves either the old file or the new one, never a torn one.

Not kept: the request and delivery logs, faults and stats (diagnostics of one run), and
idempotency keys whose first request was still running (it never answered).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stripe_emulator.accounts import Account
from stripe_emulator.encoding import dumps
from stripe_emulator.idempotency import Entry

if TYPE_CHECKING:
    from stripe_emulator.state import EmulatorState

FORMAT = 1  # bumped when the file's layout changes; another one is refused with a clear error


class StateFileError(RuntimeError):
    """The state file cannot be read as an emulator state."""


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, whole."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


class StateWriter:
    """Group-committing writer: ``await save()`` returns once a snapshot taken after the
    caller's changes is on disk."""

    def __init__(self, path: Path, state: EmulatorState) -> None:
        self.path = path
        self._state = state
        self._requested = 0
        self._written = 0
        self._lock = asyncio.Lock()

    async def save(self) -> None:
        self._requested += 1
        wanted = self._requested
        async with self._lock:
            if self._written >= wanted:
                return  # a write that began after our change already covered it
            covered = self._requested
            data = dumps(snapshot(self._state)).encode()
            await asyncio.to_thread(write_atomically, self.path, data)
            self._written = covered


def snapshot(state: EmulatorState) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "clock_offset": state.clock.offset,
        "accounts": [_account_snapshot(account) for account in state.accounts.values()],
    }


def _account_snapshot(account: Account) -> dict[str, Any]:
    return {
        "secret_key": account.secret_key,
        "webhook_url": account.webhook_url,
        "webhook_secret": account.webhook_secret,
        "objects": account.objects,
        "idempotency": {
            key: _entry_snapshot(entry)
            for key, entry in account.idempotency.entries()
            if entry.status is not None
        },
        "line_items": account.line_items,
        "session_of_intent": account.session_of_intent,
        "intent_data": account.intent_data,
        "cards": account.cards,
        "return_urls": account.return_urls,
        "expiries": account.expiries,
    }


def _entry_snapshot(entry: Entry) -> dict[str, Any]:
    return {
        "endpoint": entry.endpoint,
        "params": entry.params,
        "created": entry.created,
        "status": entry.status,
        "body": entry.body.decode(),
    }


def load(path: Path, state: EmulatorState) -> None:
    """Restore a saved state into ``state`` (a missing file is a fresh start). Accounts given
    on the command line keep their webhook settings from there; other saved accounts return."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return
    try:
        # Decimals (percent_off, percentage) were written as JSON numbers.
        saved = json.loads(text, parse_float=Decimal)
        if saved.get("format") != FORMAT:
            raise StateFileError(f"unknown format {saved.get('format')!r}, expected {FORMAT}")
        state.clock.offset = int(saved["clock_offset"])
        for data in saved["accounts"]:
            _restore_account(state, data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StateFileError(f"{path} is not an emulator state file: {exc}") from exc


def _restore_account(state: EmulatorState, data: dict[str, Any]) -> None:
    account = state.accounts.get(Account(data["secret_key"], None, None).name)
    if account is None:
        account = Account(data["secret_key"], data["webhook_url"], data["webhook_secret"])
        state.accounts[account.name] = account
    account.objects = defaultdict(dict, data["objects"])
    for key, entry in data["idempotency"].items():
        account.idempotency.restore(
            key,
            Entry(entry["endpoint"], entry["params"], entry["created"], entry["status"],
                  entry["body"].encode()),
        )  # fmt: skip
    account.line_items = data["line_items"]
    account.session_of_intent = data["session_of_intent"]
    account.intent_data = data["intent_data"]
    account.cards = data["cards"]
    account.return_urls = data["return_urls"]
    account.expiries = [(int(at), session) for at, session in data["expiries"]]
