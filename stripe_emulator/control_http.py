"""The JSON plumbing of the private ``/_emulator`` routes: handlers return (status, body),
StripeErrors become Stripe's error bodies, and events raised are delivered after the response,
as for /v1."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from stripe_emulator.encoding import dumps
from stripe_emulator.errors import StripeError
from stripe_emulator.events import request_scope, respond_then_deliver
from stripe_emulator.state import STATE_KEY, EmulatorState

Handler = Callable[[web.Request], Awaitable[tuple[int, Any]]]


def json_route(routes: web.RouteTableDef, method: str, path: str) -> Callable[[Handler], Handler]:
    """Register a handler returning (status, body); StripeErrors become JSON error bodies."""

    def register(handler: Handler) -> Handler:
        async def serve(request: web.Request) -> web.StreamResponse:
            state = request.app[STATE_KEY]
            with request_scope(None, None, state.generation) as scope:
                try:
                    status, body = await handler(request)
                except StripeError as error:
                    status, body = error.status, error.body()
                if request.method != "GET" or scope.outbox:
                    await state.persist()
            response = web.Response(
                status=status, text=dumps(body), content_type="application/json"
            )
            return await respond_then_deliver(request, response, state, scope)

        routes.route(method, path)(serve)
        return handler

    return register


async def read_body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    if request.content_type == "application/json":
        try:
            data = await request.json()
        except json.JSONDecodeError as exc:
            raise StripeError.invalid_param(None, f"Invalid JSON body: {exc}") from exc
        if not isinstance(data, dict):
            raise StripeError.invalid_param(None, "The JSON body must be an object.")
        return data
    return {key: str(value) for key, value in (await request.post()).items()}


def state_of(request: web.Request) -> EmulatorState:
    return request.app[STATE_KEY]


def public_base_url(request: web.Request) -> str:
    return state_of(request).options.public_url or f"{request.scheme}://{request.host}"
