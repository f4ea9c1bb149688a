"""Emulator options, shared by the command line, ``testing.start_emulator`` and ``create_app``."""

from __future__ import annotations

from dataclasses import dataclass

from stripe_emulator.faults import Fault

API_VERSION = "2026-10-28.endive"  # what stripe-python 16.1.0 sends; the shape of every response


@dataclass(frozen=True)
class AccountConfig:
    """One Stripe account, named by its secret key (``sk_test_X`` pairs with ``pk_test_X``)."""

    secret_key: str
    webhook_url: str | None = None
    webhook_secret: str | None = None

    @classmethod
    def parse(cls, text: str) -> AccountConfig:
        """``SECRET_KEY[,WEBHOOK_URL,WEBHOOK_SECRET]`` as given to ``--account``."""
        parts = [part.strip() for part in text.split(",")]
        if len(parts) not in (1, 3):
            raise ValueError(f"expected SECRET_KEY[,WEBHOOK_URL,WEBHOOK_SECRET], got {text!r}")
        if len(parts) == 1:
            return cls(parts[0])
        return cls(parts[0], parts[1] or None, parts[2] or None)


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 12111
    public_url: str | None = None  # base for hosted-page URLs when browsers see another host
    accounts: tuple[AccountConfig, ...] = ()
    # Create an account on first use of any well-formed test key (demo mode). None: only when
    # no accounts are given at start; otherwise an unknown key gets Stripe's 401.
    auto_accounts: bool | None = None
    webhook_url: str | None = None  # defaults for accounts created on first use of a key
    webhook_secret: str | None = None
    latency_ms: int = 0
    failure_rate: float = 0.0
    faults: tuple[Fault, ...] = ()  # start-up faults per route (``--fault``), after the two above
    webhook_retry_delays: tuple[float, ...] = (1.0, 5.0, 25.0)
    webhook_timeout: float = 10.0
    api_version: str = API_VERSION
    state_file: str | None = None  # keep state across restarts in this file (``--state``)
