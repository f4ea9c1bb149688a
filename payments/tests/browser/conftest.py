"""Browser fixtures: the catalog's headless Chromium, plus a card form helper."""

from catalog.tests.browser.conftest import browser, page  # noqa: F401  (shared fixtures)
