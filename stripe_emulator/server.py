"""Run the app on a socket: used by ``python -m stripe_emulator`` and ``testing.start_emulator``."""

from __future__ import annotations

from aiohttp import web

from stripe_emulator.app import ResponseHook, create_app
from stripe_emulator.config import Options

LISTENING_PREFIX = "stripe-emulator listening on "
SHUTDOWN_TIMEOUT = 1.0  # hanging responses must not hold up a stop


async def start(
    options: Options, on_response: ResponseHook | None = None
) -> tuple[web.AppRunner, str]:
    """Start serving; returns the runner (for ``cleanup()``) and the base URL actually bound."""
    app = create_app(options, on_response)
    runner = web.AppRunner(app, shutdown_timeout=SHUTDOWN_TIMEOUT, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, options.host, options.port, backlog=2048)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://{options.host}:{port}"
