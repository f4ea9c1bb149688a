"""How tests launch Debian's Chromium headless: one list of flags for the emulator's browser
tests and the shop's (no Django here, so the emulator's tests stay independent of it)."""

import os

CHROMIUM = "/usr/bin/chromium"
MISSING_CHROMIUM = (
    f"Browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium; "
    "`make test` installs it when run as root). They fail rather than skip without it."
)


def require_chromium() -> None:
    """Fail loudly when Chromium is missing: a silently skipped browser test proves nothing."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(MISSING_CHROMIUM)


CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
