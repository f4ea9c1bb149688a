"""Headless Chromium for browser tests: Playwright's sync API against pytest-django's live_server.

Fixtures, reusable by any app's browser tests (move this file to a root conftest to share it):
- `browser`: one Debian Chromium per test module;
- `page`: a fresh context and page per test, English by default, whose relative URLs
  (`page.goto("/item/1")`) go to `live_server`, so the test database is what the browser sees.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A headless Chromium, started once per module and closed after it."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an asyncio loop "running" in this thread for as long as it
        # is started, so Django's async-safety check would refuse every ORM call the tests make
        # (factories, assertions, flushing the database). Nothing here runs concurrently on that
        # loop, so the check is switched off, and only while a browser is up.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page in its own browser context (own cookies, so its own session) on `live_server`."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
