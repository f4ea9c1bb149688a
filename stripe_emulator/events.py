"""Events: stored per account, listed at /v1/events, delivered after the response
(https://docs.stripe.com/api/events).

Events raised while a request is being answered wait in that request's outbox (a context
variable, so concurrent requests keep theirs apart) and are handed to the webhook dispatcher
only once the response has been written: a receiver never hears of an object before the API
caller does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stripe_emulator import ids

if TYPE_CHECKING:
    from aiohttp import web

    from stripe_emulator.accounts import Account
    from stripe_emulator.state import EmulatorState


@dataclass
class RequestScope:
    request_id: str | None
    idempotency_key: str | None
    generation: int  # the state's reset generation when the request began
    outbox: list[tuple[Account, dict[str, Any]]] = field(default_factory=list)


_scope: ContextVar[RequestScope | None] = ContextVar("stripe_emulator_request", default=None)


@contextmanager
def request_scope(
    request_id: str | None, idempotency_key: str | None, generation: int
) -> Iterator[RequestScope]:
    scope = RequestScope(request_id, idempotency_key, generation)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


async def respond_then_deliver(
    request: web.Request, response: web.Response, state: EmulatorState, scope: RequestScope
) -> web.Response:
    """Write the response, then hand the request's events to the webhook dispatcher.

    A client that has gone away (given up on a hanging fault, say) is not an error: what the
    request did stands, so its events are still delivered. Unless the state was reset while
    the request ran: its objects are gone, so its events are dropped rather than delivered
    into the next test.
    """
    try:
        await response.prepare(request)
        await response.write_eof()
    except ConnectionResetError:
        pass  # aiohttp's own second write_eof meets the closed transport quietly too
    if scope.generation != state.generation:
        return response
    for account, event in scope.outbox:
        state.webhooks.deliver(account, event)
    return response


def emit(
    state: EmulatorState,
    account: Account,
    event_type: str,
    obj: dict[str, Any],
    previous_attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Record an event carrying a snapshot of ``obj`` and queue its delivery."""
    scope = _scope.get()
    data: dict[str, Any] = {"object": copy.deepcopy(obj)}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    event = account.put(
        {
            "id": ids.new_id("evt"),
            "object": "event",
            "api_version": state.options.api_version,
            "created": state.clock.now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 1 if account.webhook_url else 0,
            "request": {
                "id": scope.request_id if scope else None,
                "idempotency_key": scope.idempotency_key if scope else None,
            },
            "type": event_type,
        }
    )
    if scope is not None:
        scope.outbox.append((account, event))
    else:
        state.webhooks.deliver(account, event)
    return event
