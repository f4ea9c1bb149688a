"""The private control surface under ``/_emulator`` (spec §11), JSON in and out.

Used by tests (reset, accounts, deliveries, flush, request log, faults, clock) and by the
browser pages (hosted Checkout data and payment, 3-D Secure outcome). Events these routes raise
are delivered after the response, as for /v1.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from stripe_emulator.accounts import Account
from stripe_emulator.config import AccountConfig
from stripe_emulator.encoding import dumps
from stripe_emulator.endpoint import Call
from stripe_emulator.errors import CLIENT_SECRET_MISMATCH, StripeError
from stripe_emulator.events import request_scope, respond_then_deliver
from stripe_emulator.faults import Fault
from stripe_emulator.notice import EMULATOR_NOTICE
from stripe_emulator.resources import checkout, payment_intents
from stripe_emulator.resources.line_items import public_item
from stripe_emulator.resources.stripe_js import publishable_view
from stripe_emulator.state import STATE_KEY, EmulatorState

routes = web.RouteTableDef()

Handler = Callable[[web.Request], Awaitable[tuple[int, Any]]]


def _json_route(method: str, path: str) -> Callable[[Handler], Handler]:
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


async def _body(request: web.Request) -> dict[str, Any]:
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


def _state(request: web.Request) -> EmulatorState:
    return request.app[STATE_KEY]


def _base_url(request: web.Request) -> str:
    return _state(request).options.public_url or f"{request.scheme}://{request.host}"


# --- housekeeping -------------------------------------------------------------------------


@_json_route("GET", "/_emulator/health")
async def health(request: web.Request) -> tuple[int, Any]:
    state = _state(request)
    return 200, {
        "status": "ok",
        "emulator_notice": EMULATOR_NOTICE,
        "livemode": False,
        "api_version": state.options.api_version,
        "accounts": sorted(state.accounts),
        "auto_accounts": state.auto_accounts,
        "stats": state.stats.as_json(),
    }


@_json_route("GET", "/_emulator/stats")
async def stats(request: web.Request) -> tuple[int, Any]:
    """/v1 requests in flight now, the peak since start or the last restart, and served."""
    return 200, _state(request).stats.as_json()


@_json_route("DELETE", "/_emulator/stats")
async def restart_stats(request: web.Request) -> tuple[int, Any]:
    state = _state(request)
    state.stats.restart()
    return 200, state.stats.as_json()


@_json_route("POST", "/_emulator/reset")
async def reset(request: web.Request) -> tuple[int, Any]:
    _state(request).reset()
    return 200, {"reset": True}


@_json_route("POST", "/_emulator/accounts")
async def add_account(request: web.Request) -> tuple[int, Any]:
    data = await _body(request)
    try:
        config = AccountConfig(
            str(data["secret_key"]), data.get("webhook_url"), data.get("webhook_secret")
        )
        account = _state(request).add_account(config)
    except (KeyError, ValueError) as exc:
        raise StripeError.invalid_param("secret_key", f"Invalid account: {exc}") from exc
    return 200, {
        "account": account.name,
        "secret_key": account.secret_key,
        "publishable_key": account.publishable_key,
        "webhook_url": account.webhook_url,
    }


@_json_route("GET", "/_emulator/webhook_deliveries")
async def deliveries(request: web.Request) -> tuple[int, Any]:
    event, kind = request.query.get("event"), request.query.get("type")
    found = [
        d.as_json()
        for d in _state(request).webhooks.log
        if (event is None or d.event == event) and (kind is None or d.type == kind)
    ]
    return 200, {"data": found}


FLUSH_TIMEOUT = 60.0  # seconds; testing.py's client waits longer than any deadline it asks for
MAX_FLUSH_TIMEOUT = 3600.0


@_json_route("POST", "/_emulator/webhooks/flush")
async def flush(request: web.Request) -> tuple[int, Any]:
    """Wait for queued deliveries until ``timeout`` seconds (default 60) have passed; then a
    504 that names what is still pending, so a caller never meets a bare socket timeout."""
    state = _state(request)
    try:
        timeout = float((await _body(request)).get("timeout", FLUSH_TIMEOUT))
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


@_json_route("POST", "/_emulator/events/{id}/resend")
async def resend(request: web.Request) -> tuple[int, Any]:
    state, event_id = _state(request), request.match_info["id"]
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


@_json_route("GET", "/_emulator/requests")
async def request_log(request: web.Request) -> tuple[int, Any]:
    filters = {k: request.query[k] for k in ("method", "path", "account") if k in request.query}
    found = [
        entry
        for entry in _state(request).requests
        if all(entry[k] == v for k, v in filters.items())
    ]
    return 200, {"data": found}


@_json_route("GET", "/_emulator/faults")
async def list_faults(request: web.Request) -> tuple[int, Any]:
    return 200, {"data": [fault.as_json() for fault in _state(request).faults.active]}


@_json_route("POST", "/_emulator/faults")
async def add_fault(request: web.Request) -> tuple[int, Any]:
    try:
        fault = Fault.from_json(await _body(request))
    except (TypeError, ValueError) as exc:
        raise StripeError.invalid_param(None, f"Invalid fault: {exc}") from exc
    _state(request).faults.add(fault)
    return 200, fault.as_json()


@_json_route("DELETE", "/_emulator/faults")
async def clear_faults(request: web.Request) -> tuple[int, Any]:
    _state(request).faults.clear()
    return 200, {"data": []}


@_json_route("POST", "/_emulator/clock")
async def advance_clock(request: web.Request) -> tuple[int, Any]:
    state = _state(request)
    try:
        seconds = int((await _body(request))["advance_seconds"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StripeError.invalid_param("advance_seconds", "advance_seconds: an integer") from exc
    state.clock.advance(seconds)
    for account in list(state.accounts.values()):
        checkout.expire_due_sessions(state, account)
    return 200, {"now": state.clock.now(), "offset": state.clock.offset}


# --- 3-D Secure ---------------------------------------------------------------------------


@_json_route("POST", "/_emulator/3ds/{intent}/{outcome:complete|fail}")
async def three_d_secure(request: web.Request) -> tuple[int, Any]:
    state, intent_id = _state(request), request.match_info["intent"]
    data = await _body(request)
    account = state.find_owner("payment_intent", intent_id)
    if account is None:
        raise StripeError.not_found("payment_intent", intent_id, "intent")
    key = data.get("key")
    if key and key != account.publishable_key:
        raise StripeError.authentication(f"Invalid API Key provided for {intent_id}.")
    intent = account.objects["payment_intent"][intent_id]
    if data.get("client_secret") != intent["client_secret"]:
        raise StripeError(
            400, CLIENT_SECRET_MISMATCH, code="payment_intent_invalid_parameter",
            param="client_secret",
        )  # fmt: skip
    if intent["status"] != "requires_action":
        raise StripeError.unexpected_state(
            f"This PaymentIntent has a status of {intent['status']}; there is no "
            "authentication to complete."
        )
    if request.match_info["outcome"] == "fail":
        payment_intents.fail_authentication(state, account, intent)
    else:
        payment_intents.complete_authentication(state, account, intent)
        session_id = account.session_of_intent.get(intent_id)
        if session_id is not None:
            session = account.objects["checkout.session"][session_id]
            method = account.objects["payment_method"][intent["payment_method"]]
            checkout.complete_session(state, account, session, intent, _customer(method))
    return 200, publishable_view(intent)


def _customer(method: dict[str, Any]) -> dict[str, Any]:
    details = method["billing_details"]
    address = details["address"]
    return {"email": details["email"], "name": details["name"],
            "country": address["country"], "postal_code": address["postal_code"]}  # fmt: skip


# --- hosted Checkout ----------------------------------------------------------------------


def find_session(state: EmulatorState, session_id: str) -> tuple[Account, dict[str, Any]]:
    """The Checkout Session and its account, expired first if its time has come."""
    account = state.find_owner("checkout.session", session_id)
    if account is None:
        raise StripeError.not_found("checkout.session", session_id, "session")
    checkout.expire_due_sessions(state, account)
    return account, account.objects["checkout.session"][session_id]


def _session(request: web.Request) -> tuple[Account, dict[str, Any]]:
    return find_session(_state(request), request.match_info["session"])


def checkout_page_view(state: EmulatorState, session_id: str) -> dict[str, Any]:
    """What the hosted Checkout page shows; the JSON route and the page both answer from it."""
    account, session = find_session(state, session_id)
    return {
        "session": session,
        "line_items": [
            public_item(item, expand_all=True) for item in account.line_items[session["id"]]
        ],
        "publishable_key": account.publishable_key,
        "success_redirect_url": checkout.success_redirect_url(session),
        "emulator_notice": EMULATOR_NOTICE,
    }


@_json_route("GET", "/_emulator/checkout/{session}")
async def checkout_page_data(request: web.Request) -> tuple[int, Any]:
    return 200, checkout_page_view(_state(request), request.match_info["session"])


@_json_route("POST", "/_emulator/checkout/{session}/pay")
async def checkout_pay(request: web.Request) -> tuple[int, Any]:
    state = _state(request)
    account, session = _session(request)
    if session["status"] != "open":
        raise StripeError(
            410 if session["status"] == "expired" else 400,
            f"This Checkout Session is no longer open (status: {session['status']}).",
            code="checkout_session_not_open",
        )
    data = await _body(request)
    customer = {k: data.get(k) for k in ("email", "name", "country", "postal_code")}
    if session["amount_total"] == 0:
        checkout.complete_session(state, account, session, None, customer)
        return 200, {"status": "complete", "redirect_url": checkout.success_redirect_url(session)}
    base_url = _base_url(request)
    intent = _session_intent(state, account, session, base_url)
    card = data.get("card")
    if not isinstance(card, dict):
        raise StripeError.missing_parameter("card")
    billing = {"email": customer["email"], "name": customer["name"],
               "address": {"country": customer["country"],
                           "postal_code": customer["postal_code"]}}  # fmt: skip
    params = {
        "payment_method_data": {"type": "card", "card": card, "billing_details": billing},
        "return_url": f"{base_url}/c/pay/{session['id']}",
    }
    call = Call(state, account, params, {}, True, base_url)
    try:
        payment_intents.confirm_intent(call, intent, params)
    except StripeError as error:
        # 402 declines keep the session open; the customer may try another card.
        return error.status, error.body()
    if intent["status"] == "requires_action":
        return 200, {
            "status": "requires_action",
            "payment_intent": intent["id"],
            "client_secret": intent["client_secret"],
            "next_action": intent["next_action"],
        }
    checkout.complete_session(state, account, session, intent, customer)
    return 200, {"status": "complete", "redirect_url": checkout.success_redirect_url(session)}


def _session_intent(
    state: EmulatorState, account: Account, session: dict[str, Any], base_url: str
) -> dict[str, Any]:
    """The session's PaymentIntent, made on the first payment attempt and reused after."""
    current = account.objects["payment_intent"].get(session["payment_intent"] or "")
    if current is not None and current["status"] in payment_intents.AWAITING_PAYMENT:
        return current
    data = account.intent_data.get(session["id"], {})
    params: dict[str, Any] = {
        "amount": session["amount_total"],
        "currency": session["currency"],
        "automatic_payment_methods": {"enabled": False},
        "metadata": data.get("metadata", {}),
    }
    for name in checkout.INTENT_DATA_FIELDS:
        if name in data:
            params[name] = data[name]
    if "receipt_email" not in params and session["customer_email"]:
        params["receipt_email"] = session["customer_email"]
    call = Call(state, account, params, {}, False, base_url)
    intent = payment_intents.create(call)
    account.session_of_intent[intent["id"]] = session["id"]
    # The PaymentIntent is made on the first attempt (deferred creation, API 2022-08-01) and
    # the session names it from then on, even while the payment is still failing.
    session["payment_intent"] = intent["id"]
    return intent
