"""Fixtures shared by every app: English by default, the offline Stripe emulator and the shop
pointed at it, and headless Chromium on the live server.

Tests run the real stripe-python client over HTTP against the emulator (`stripe_emulator/`):
one emulator per test session, reset before each test that uses it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from catalog.money import SUPPORTED_CURRENCIES
from stripe_emulator.testing import RunningEmulator, WebhooksPending, start_emulator
from stripe_emulator.testing_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium
from testing.accounts import SECRET_KEYS, WEBHOOK_SECRETS, point_at
from testing.databases import wait_until_other_connections_idle


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Each test starts in English, and a request that activated Russian in this thread (the
    test client runs views here) can't leak into later tests' messages."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _own_cache(settings: SettingsWrapper) -> None:
    """Each test gets its own in-memory cache, so rate limits count from zero in every test
    (the live server's thread shares it: same process, same LOCATION)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }


@pytest.fixture(autouse=True)
def _every_currency_for_sale(settings: SettingsWrapper) -> None:
    """Every currency the shop supports is enabled and has an account, so items priced in any
    of them are valid and in the catalog unless a test says otherwise. The keys belong to no
    real account; `stripe_accounts` and `stripe_webhooks` point usd and eur at the emulator."""
    settings.STRIPE_CURRENCIES = list(SUPPORTED_CURRENCIES)
    settings.STRIPE_ACCOUNTS = {
        currency: {
            "secret_key": f"sk_test_shop{currency}",
            "publishable_key": f"pk_test_shop{currency}",
            "webhook_secret": "",
        }
        for currency in SUPPORTED_CURRENCIES
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """On SQLite, test in a file with IMMEDIATE transactions instead of shared-cache memory.

    The live server answers Stripe's webhooks while another request's transaction is open
    (the emulator delivers `payment_intent.created` during the PaymentIntent request).
    In-memory shared-cache SQLite fails such overlaps at once with "table is locked"; a file
    database whose transactions take the write lock when they begin makes them wait, as
    PostgreSQL's row locks do.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(tmp_path_factory.mktemp("db")) / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
        database.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"


@pytest.fixture
def client(request: pytest.FixtureRequest) -> Client:
    """Django's test client as the test buyer: in a test with the database it has the session
    in which `make_order` places orders by default (`catalog.tests.factories.BUYER_SESSION_KEY`).
    """
    buyer = Client()
    database = [name for name in ("db", "transactional_db") if name in request.fixturenames]
    for name in database:
        request.getfixturevalue(name)  # set up before the session row is written
    if database or request.node.get_closest_marker("django_db"):
        from catalog.tests.factories import buyer_session

        buyer.cookies[django_settings.SESSION_COOKIE_NAME] = buyer_session()
    return buyer


@pytest.fixture(scope="session")
def stripe_emulator() -> Iterator[RunningEmulator]:
    """The emulator, started once (in a thread) for the whole test session."""
    emulator = start_emulator(webhook_retry_delays=(0.2, 0.5), auto_accounts=False)
    yield emulator
    emulator.stop()


@pytest.fixture
def stripe_accounts(stripe_emulator: RunningEmulator, settings: SettingsWrapper) -> RunningEmulator:
    """A freshly reset emulator with the usd and eur accounts (no webhook delivery), and the
    shop's settings pointing at it. Clients are cached per key and base URL, so a new base URL
    gets new clients by itself."""
    stripe_emulator.reset()
    for key in SECRET_KEYS.values():
        stripe_emulator.add_account(key)
    point_at(stripe_emulator, settings)
    return stripe_emulator


# How long a test's end waits for webhook deliveries already on their way, then for the live
# server's requests still using the database (seconds).
DELIVERIES_SETTLE_SECONDS = 2.0
HANDLERS_SETTLE_SECONDS = 10.0


@pytest.fixture
def stripe_webhooks(
    stripe_emulator: RunningEmulator, settings: SettingsWrapper, live_server: LiveServer
) -> Iterator[RunningEmulator]:
    """Like `stripe_accounts`, with each account's events signed and delivered to the live
    server's webhook endpoint for its currency.

    At the test's end the deliveries still on their way are let finish, those still waiting
    (a retry after a failure the test made) are dropped, and the live server's requests still
    in the database are let end, before the database is emptied: a delivery handled while the
    tables are truncated would deadlock with the truncation."""
    stripe_emulator.reset()
    for currency, key in SECRET_KEYS.items():
        stripe_emulator.add_account(
            key, f"{live_server.url}/payments/webhook/{currency}/", WEBHOOK_SECRETS[currency]
        )
    point_at(stripe_emulator, settings)
    settings.SITE_URL = live_server.url
    yield stripe_emulator
    with contextlib.suppress(WebhooksPending):  # retries left waiting: reset() drops them
        stripe_emulator.flush_webhooks(timeout=DELIVERIES_SETTLE_SECONDS)
    stripe_emulator.reset()
    # A delivery the emulator gave up waiting for may still be handled by the live server.
    wait_until_other_connections_idle(timeout=HANDLERS_SETTLE_SECONDS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, started once per module and closed after it."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an asyncio loop "running" in this thread for as long as it
        # is started, so Django's async-safety check would refuse every ORM call the tests make
        # (factories, assertions, flushing the database). Nothing here runs concurrently on that
        # loop, so the check is switched off, and only while a browser is up.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        require_chromium()
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, settings: SettingsWrapper) -> Iterator[Page]:
    """A page in its own browser context (own cookies, so its own session) on `live_server`,
    English by default; relative URLs (`page.goto("/item/1")`) go to the live server, and so do
    the URLs Stripe sends the buyer back to (SITE_URL)."""
    settings.SITE_URL = live_server.url
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    from catalog.tests.factories import buyer_session  # the test buyer, as for `client`

    context.add_cookies([{"name": "sessionid", "value": buyer_session(), "url": live_server.url}])
    yield context.new_page()
    context.close()
