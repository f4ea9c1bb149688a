"""``create_app()``: the emulator as an aiohttp application.

Routes: Stripe's API under ``/v1`` (``resources/*``), the private control surface under
``/_emulator`` (``control.py``), and the browser pages registered by
``stripe_emulator.browser``. The state object is ``app[STATE_KEY]`` (``state.STATE_KEY``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from stripe_emulator import control, hosted_actions
from stripe_emulator.api import add_v1_routes
from stripe_emulator.browser import routes as browser_routes
from stripe_emulator.config import Options
from stripe_emulator.encoding import dumps
from stripe_emulator.endpoint import Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.resources import (
    charges,
    checkout,
    coupons,
    events,
    payment_intents,
    prices,
    products,
    refunds,
    tax_rates,
)
from stripe_emulator.resources.checkout_outcomes import expire_due_sessions
from stripe_emulator.state import STATE_KEY, EmulatorState

__all__ = ["STATE_KEY", "create_app"]

ENDPOINTS: list[Endpoint] = [
    *payment_intents.ENDPOINTS,
    *checkout.ENDPOINTS,
    *coupons.ENDPOINTS,
    *tax_rates.ENDPOINTS,
    *refunds.ENDPOINTS,
    *events.ENDPOINTS,
    *charges.ENDPOINTS,
    *products.ENDPOINTS,
    *prices.ENDPOINTS,
]

EXPIRY_SWEEP_SECONDS = 1.0

CORS_HEADERS = {
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Stripe-Version, Idempotency-Key",
    "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
    "Access-Control-Expose-Headers": "Request-Id, Stripe-Version, Idempotency-Key, "
    "Idempotent-Replayed",
    "Access-Control-Max-Age": "600",
}


ResponseHook = Callable[[web.Request, web.StreamResponse], Awaitable[None]]


def create_app(
    options: Options | None = None, on_response: ResponseHook | None = None
) -> web.Application:
    """``on_response`` sees every response as it is sent (tests record /v1 bodies with it)."""
    app = web.Application(middlewares=[_preflight, _count_and_catch])
    app[STATE_KEY] = EmulatorState(options or Options())
    app.on_response_prepare.append(_cors)
    if on_response is not None:
        app.on_response_prepare.append(on_response)
    add_v1_routes(app, STATE_KEY, ENDPOINTS)
    app.add_routes(control.routes)
    app.add_routes(hosted_actions.routes)
    app.add_routes(browser_routes)
    app.cleanup_ctx.append(_background)
    return app


@web.middleware
async def _preflight(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    if request.method == "OPTIONS":
        return web.Response(status=204)
    return await handler(request)


logger = logging.getLogger("stripe_emulator")


@web.middleware
async def _count_and_catch(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Count /v1 requests in flight (the server's own figure, read by the bench through
    ``/_emulator/health``), and turn any exception that escaped a route into Stripe's JSON 500
    ``api_error`` (logged with its traceback) instead of aiohttp's text page."""
    state = request.app[STATE_KEY]
    counted = request.path.startswith("/v1/")
    if counted:
        state.stats.started()
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        logger.exception("unexpected error answering %s %s", request.method, request.path)
        body = StripeError(
            500, "An unknown error occurred in the Stripe emulator (see its log).",
            type="api_error",
        ).body()  # fmt: skip
        return web.Response(status=500, text=dumps(body), content_type="application/json")
    finally:
        if counted:
            state.stats.finished()


async def _cors(request: web.Request, response: web.StreamResponse) -> None:
    # Stripe.js calls the API from the shop's origin; echo it, as api.stripe.com does.
    origin = request.headers.get("Origin")
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
        response.headers.update(CORS_HEADERS)


async def _background(app: web.Application) -> AsyncIterator[None]:
    """Expire sessions whose time has come even when nobody calls, and close the client."""
    state = app[STATE_KEY]

    async def sweep() -> None:
        while True:
            await asyncio.sleep(EXPIRY_SWEEP_SECONDS)
            scheduled = sum(len(account.expiries) for account in state.accounts.values())
            for account in list(state.accounts.values()):
                expire_due_sessions(state, account)
            if sum(len(account.expiries) for account in state.accounts.values()) != scheduled:
                try:
                    await state.persist()
                except OSError:  # a full disk must not stop expiry; the next write retries
                    logger.exception("could not write the state file")

    task = asyncio.get_running_loop().create_task(sweep())
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await state.webhooks.close()
    await state.persist()  # deliveries since the last write changed events' pending_webhooks
