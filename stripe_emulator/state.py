"""All in-memory emulator state, shared by the API, the control routes and the browser pages."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from aiohttp import web

from stripe_emulator.accounts import KEY_PATTERN, Account, account_from_config, key_suffix
from stripe_emulator.clock import Clock
from stripe_emulator.config import AccountConfig, Options
from stripe_emulator.faults import Fault, Faults
from stripe_emulator.persistence import StateWriter, load
from stripe_emulator.webhooks import WebhookDispatcher

REQUEST_LOG_SIZE = 10_000  # the request log keeps the most recent requests only


class Stats:
    """Requests in flight on the server, and the peak since start (or the last reset)."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.peak_in_flight = 0
        self.served = 0

    def started(self) -> None:
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def finished(self) -> None:
        self.in_flight -= 1
        self.served += 1

    def restart(self) -> None:
        """Start a new measurement: the peak becomes what is in flight now."""
        self.peak_in_flight, self.served = self.in_flight, 0

    def as_json(self) -> dict[str, int]:
        return {"in_flight": self.in_flight, "peak_in_flight": self.peak_in_flight,
                "served": self.served}  # fmt: skip


class EmulatorState:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.clock = Clock()
        self.accounts: dict[str, Account] = {}
        self._configured = list(options.accounts)
        self.auto_accounts = (
            not options.accounts if options.auto_accounts is None else options.auto_accounts
        )
        for config in options.accounts:
            self.add_account(config)
        self.webhooks = WebhookDispatcher(options.webhook_retry_delays, options.webhook_timeout)
        startup = []
        if options.latency_ms:
            startup.append(Fault(latency_ms=options.latency_ms))
        if options.failure_rate:
            startup.append(Fault(error="api_error", rate=options.failure_rate))
        startup.extend(options.faults)
        self.faults = Faults(startup)
        self.requests: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        self.stats = Stats()
        self.generation = 0  # grows at each reset; a request that began before drops its events
        self.writer: StateWriter | None = None
        if options.state_file:
            path = Path(options.state_file)
            load(path, self)
            self.writer = StateWriter(path, self)

    async def persist(self) -> None:
        """With ``--state``: return once the current state is on disk (``persistence.py``)."""
        if self.writer is not None:
            await self.writer.save()

    def add_account(self, config: AccountConfig) -> Account:
        """Register (or reconfigure) an account; its objects survive reconfiguration."""
        account = account_from_config(config)
        existing = self.accounts.get(account.name)
        if existing is not None:
            existing.webhook_url, existing.webhook_secret = (
                config.webhook_url,
                config.webhook_secret,
            )
            return existing
        self.accounts[account.name] = account
        return account

    def account_for_secret_key(self, key: str) -> Account | None:
        """The account of a test secret key; in demo mode (``auto_accounts``) an unknown key
        makes a new account with the default webhook."""
        match = KEY_PATTERN.match(key)
        if match is None or match.group(1) not in ("sk", "rk") or match.group(2) != "test":
            return None
        account = self.accounts.get(match.group(3))
        if account is None and self.auto_accounts:
            account = self.add_account(
                AccountConfig(
                    f"sk_test_{match.group(3)}",
                    self.options.webhook_url,
                    self.options.webhook_secret,
                )
            )
        return account

    def account_for_publishable_key(self, key: str) -> Account | None:
        if not key.startswith("pk_test_") or KEY_PATTERN.match(key) is None:
            return None
        return self.accounts.get(key_suffix(key))

    def find_owner(self, kind: str, object_id: str) -> Account | None:
        """Which account holds an object (checkout session and PaymentIntent ids are unique)."""
        for account in self.accounts.values():
            if object_id in account.objects[kind]:
                return account
        return None

    def reset(self) -> None:
        """Forget every object, event, delivery, fault and run-time account.

        Accounts given at start-up come back as configured, with no objects; so do start-up
        faults, their counts re-armed.
        """
        self.generation += 1
        self.stats.restart()
        self.accounts = {}
        for config in self._configured:
            self.add_account(config)
        self.webhooks.reset()
        self.faults.rearm()
        # A new log: requests still in flight log into the old one.
        self.requests = deque(maxlen=REQUEST_LOG_SIZE)
        self.clock = Clock()


# Where the state lives on the aiohttp application: ``request.app[STATE_KEY]`` (browser pages
# read sessions and PaymentIntents through it).
STATE_KEY = web.AppKey("stripe_emulator.state", EmulatorState)
