"""Fixtures for running Stripe's official samples against the emulator in Chromium.

Chromium and the emulator (in a thread, reset before each test; the samples' key makes its
account on first use) come from the browser tests' fixtures. Each sample's own server runs in
its own virtualenv (``sample_servers.py``). The browser never reaches Stripe: every request for
``https://js.stripe.com/…`` (the legacy ``/v3/`` and versioned ``/<release>/stripe.js`` script,
and the API calls that script then makes to its own origin) is answered by the emulator,
through Playwright's routing, so the samples' pages load unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import stripe
from playwright.sync_api import Browser, Page, Route

from stripe_emulator.testing import RunningEmulator

from .helpers import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET

STRIPE_JS_ORIGIN = "https://js.stripe.com"


@pytest.fixture
def client(emulator: RunningEmulator) -> stripe.StripeClient:
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": emulator.url})


@pytest.fixture
def sample_env(emulator: RunningEmulator) -> dict[str, str]:
    """The variables of a sample's ``.env``, for the emulator's account, plus its API base."""
    return {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STATIC_DIR": "../../client/html",
        "STRIPE_API_BASE": emulator.url,
    }


@pytest.fixture
def server_log(tmp_path: Path) -> Path:
    return tmp_path / "sample-server.log"


@pytest.fixture
def page(browser: Browser, emulator: RunningEmulator) -> Iterator[Page]:
    """A page whose requests to js.stripe.com are answered by the emulator. The sample's
    server stops before the page closes, so a test waits for what the page shows last (its
    last fetch) before it ends: a fetch cut short is a JavaScript error here."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)

    def to_emulator(route: Route) -> None:
        parts = urlsplit(route.request.url)
        target = f"{emulator.url}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        route.fulfill(response=route.fetch(url=target))

    context.route(f"{STRIPE_JS_ORIGIN}/**", to_emulator)
    # The samples' pages show pictures from picsum.photos; nothing leaves the machine.
    context.route("https://picsum.photos/**", lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
