"""Helpers the sample tests share: the samples' account keys and their webhook deliveries."""

from __future__ import annotations

from stripe_emulator.testing import RunningEmulator

from .sample_servers import SampleServer

SECRET_KEY = "sk_test_samples"
PUBLISHABLE_KEY = "pk_test_samples"
WEBHOOK_SECRET = "whsec_samples_local_only"


def deliver_webhooks_to(emulator: RunningEmulator, server: SampleServer) -> None:
    """Sign the account's events with the sample's secret and post them to its /webhook."""
    emulator.add_account(SECRET_KEY, f"{server.url}/webhook", WEBHOOK_SECRET)


def webhook_answers(emulator: RunningEmulator, event_type: str) -> list[int | None]:
    """The statuses the sample's /webhook answered for each delivery of ``event_type``."""
    emulator.flush_webhooks(timeout=20)
    deliveries = emulator.webhook_deliveries(type=event_type)
    return [attempt["status"] for d in deliveries for attempt in d["attempts"]]
