"""The private control surface under ``/_emulator``, JSON in and out, used by tests: reset,
accounts, deliveries, flush, request log, faults, clock. The routes the hosted pages post to are
in ``hosted_actions.py``; the JSON plumbing in ``control_http.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from stripe_emulator.config import AccountConfig
from stripe_emulator.control_http import Handler, json_route, read_body, state_of
from stripe_emulator.errors import StripeError
from stripe_emulator.faults import Fault
from stripe_emulator.notice import EMULATOR_NOTICE
from stripe_emulator.resources.checkout_outcomes import expire_due_sessions

routes = web.RouteTableDef()


def _route(method: str, path: str) -> Callable[[Handler], Handler]:
    return json_route(routes, method, path)


# --- housekeeping -------------------------------------------------------------------------


@_route("GET", "/_emulator/health")
async def health(request: web.Request) -> tuple[int, Any]:
    state = state_of(request)
    return 200, {
        "status": "ok",
        "emulator_notice": EMULATOR_NOTICE,
        "livemode": False,
        "api_version": state.options.api_version,
        "accounts": sorted(state.accounts),
        "auto_accounts": state.auto_accounts,
        "stats": state.stats.as_json(),
    }


@_route("GET", "/_emulator/stats")
async def stats(request: web.Request) -> tuple[int, Any]:
    """/v1 requests in flight now, the peak since start or the last restart, and served."""
    return 200, state_of(request).stats.as_json()


@_route("DELETE", "/_emulator/stats")
async def restart_stats(request: web.Request) -> tuple[int, Any]:
    state = state_of(request)
    state.stats.restart()
    return 200, state.stats.as_json()


@_route("POST", "/_emulator/reset")
async def reset(request: web.Request) -> tuple[int, Any]:
    state_of(request).reset()
    return 200, {"reset": True}


@_route("POST", "/_emulator/accounts")
async def add_account(request: web.Request) -> tuple[int, Any]:
    data = await read_body(request)
    try:
        config = AccountConfig(
            str(data["secret_key"]), data.get("webhook_url"), data.get("webhook_secret")
        )
        account = state_of(request).add_account(config)
    except (KeyError, ValueError) as exc:
        raise StripeError.invalid_param("secret_key", f"Invalid account: {exc}") from exc
    return 200, {
        "account": account.name,
        "secret_key": account.secret_key,
        "publishable_key": account.publishable_key,
        "webhook_url": account.webhook_url,
    }


@_route("GET", "/_emulator/webhook_deliveries")
async def deliveries(request: web.Request) -> tuple[int, Any]:
    event, kind = request.query.get("event"), request.query.get("type")
    found = [
        d.as_json()
        for d in state_of(request).webhooks.log
        if (event is None or d.event == event) and (kind is None or d.type == kind)
    ]
    return 200, {"data": found}


FLUSH_TIMEOUT = 60.0  # seconds; testing.py's client waits longer than any deadline it asks for
MAX_FLUSH_TIMEOUT = 3600.0


@_route("POST", "/_emulator/webhooks/flush")
async def flush(request: web.Request) -> tuple[int, Any]:
    """Wait for queued deliveries until ``timeout`` seconds (default 60) have passed; then a
    504 that names what is still pending, so a caller never meets a bare socket timeout."""
    state = state_of(request)
    try:
        timeout = float((await read_body(request)).get("timeout", FLUSH_TIMEOUT))
    except (TypeError, ValueError) as exc:
        raise StripeError.invalid_param("timeout", "timeout: a number of seconds") from exc
    if not 0 < timeout <= MAX_FLUSH_TIMEOUT:
        raise StripeError.invalid_param(
            "timeout", f"timeout: more than 0 and at most {MAX_FLUSH_TIMEOUT:g} seconds"
        )
    pending = await state.webhooks.flush(timeout)
    if not pending:
        return 200, {"pending": 0, "deliveries": len(state.webhooks.log)}
    shown = ", ".join(
        f"{d.event} ({d.type}) to {d.url} after {len(d.attempts)} attempt(s)" for d in pending[:5]
    )
    message = (
        f"{len(pending)} webhook deliveries still pending after {timeout:g} s "
        f"(retry delays {state.options.webhook_retry_delays}): {shown}"
        + (", ..." if len(pending) > 5 else "")
    )
    body = StripeError(504, message, type="api_error", code="webhook_flush_timeout").body()
    return 504, {**body, "pending": len(pending), "deliveries": len(state.webhooks.log)}


@_route("POST", "/_emulator/events/{id}/resend")
async def resend(request: web.Request) -> tuple[int, Any]:
    state, event_id = state_of(request), request.match_info["id"]
    account = state.find_owner("event", event_id)
    if account is None:
        raise StripeError.not_found("event", event_id)
    if not account.webhook_url:
        raise StripeError.invalid_param(None, f"Account {account.name} has no webhook URL.")
    event = account.objects["event"][event_id]
    if event["pending_webhooks"] == 0:
        event["pending_webhooks"] = 1
    state.webhooks.deliver(account, event)
    return 200, {"resent": event_id}


@_route("GET", "/_emulator/requests")
async def request_log(request: web.Request) -> tuple[int, Any]:
    filters = {k: request.query[k] for k in ("method", "path", "account") if k in request.query}
    found = [
        entry
        for entry in state_of(request).requests
        if all(entry[k] == v for k, v in filters.items())
    ]
    return 200, {"data": found}


@_route("GET", "/_emulator/faults")
async def list_faults(request: web.Request) -> tuple[int, Any]:
    return 200, {"data": [fault.as_json() for fault in state_of(request).faults.active]}


@_route("POST", "/_emulator/faults")
async def add_fault(request: web.Request) -> tuple[int, Any]:
    try:
        fault = Fault.from_json(await read_body(request))
    except (TypeError, ValueError) as exc:
        raise StripeError.invalid_param(None, f"Invalid fault: {exc}") from exc
    state_of(request).faults.add(fault)
    return 200, fault.as_json()


@_route("DELETE", "/_emulator/faults")
async def clear_faults(request: web.Request) -> tuple[int, Any]:
    state_of(request).faults.clear()
    return 200, {"data": []}


@_route("POST", "/_emulator/clock")
async def advance_clock(request: web.Request) -> tuple[int, Any]:
    state = state_of(request)
    try:
        seconds = int((await read_body(request))["advance_seconds"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StripeError.invalid_param("advance_seconds", "advance_seconds: an integer") from exc
    state.clock.advance(seconds)
    for account in list(state.accounts.values()):
        expire_due_sessions(state, account)
    return 200, {"now": state.clock.now(), "offset": state.clock.offset}
