"""How tests launch Debian's Chromium headless: one list of flags for the emulator's browser
tests and the shop's (no Django here, so the emulator's tests stay independent of it)."""

CHROMIUM = "/usr/bin/chromium"
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
