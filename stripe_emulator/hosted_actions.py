"""The ``/_emulator`` routes the hosted pages post to: the 3-D Secure outcome and the hosted
Checkout page's data and payment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from stripe_emulator.accounts import Account
from stripe_emulator.control_http import Handler, json_route, public_base_url, read_body, state_of
from stripe_emulator.endpoint import Call
from stripe_emulator.errors import CLIENT_SECRET_MISMATCH, StripeError
from stripe_emulator.notice import EMULATOR_NOTICE
from stripe_emulator.resources import payment_intents
from stripe_emulator.resources.checkout_outcomes import (
    complete_session,
    expire_due_sessions,
    success_redirect_url,
)
from stripe_emulator.resources.checkout_params import INTENT_DATA_FIELDS
from stripe_emulator.resources.line_items import public_item
from stripe_emulator.resources.payment_intent_confirm import confirm_intent
from stripe_emulator.resources.payment_intent_outcomes import (
    complete_authentication,
    fail_authentication,
)
from stripe_emulator.resources.payment_intent_rules import AWAITING_PAYMENT
from stripe_emulator.resources.stripe_js import publishable_view
from stripe_emulator.state import EmulatorState

routes = web.RouteTableDef()


def _route(method: str, path: str) -> Callable[[Handler], Handler]:
    return json_route(routes, method, path)


# --- 3-D Secure ---------------------------------------------------------------------------


@_route("POST", "/_emulator/3ds/{intent}/{outcome:complete|fail}")
async def three_d_secure(request: web.Request) -> tuple[int, Any]:
    state, intent_id = state_of(request), request.match_info["intent"]
    data = await read_body(request)
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
        fail_authentication(state, account, intent)
    else:
        complete_authentication(state, account, intent)
        session_id = account.session_of_intent.get(intent_id)
        if session_id is not None:
            session = account.objects["checkout.session"][session_id]
            method = account.objects["payment_method"][intent["payment_method"]]
            complete_session(state, account, session, intent, _customer(method))
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
    expire_due_sessions(state, account)
    return account, account.objects["checkout.session"][session_id]


def _session(request: web.Request) -> tuple[Account, dict[str, Any]]:
    return find_session(state_of(request), request.match_info["session"])


def checkout_page_view(state: EmulatorState, session_id: str) -> dict[str, Any]:
    """What the hosted Checkout page shows; the JSON route and the page both answer from it."""
    account, session = find_session(state, session_id)
    return {
        "session": session,
        "line_items": [
            public_item(item, expand_all=True) for item in account.line_items[session["id"]]
        ],
        "publishable_key": account.publishable_key,
        "success_redirect_url": success_redirect_url(session),
        "emulator_notice": EMULATOR_NOTICE,
    }


@_route("GET", "/_emulator/checkout/{session}")
async def checkout_page_data(request: web.Request) -> tuple[int, Any]:
    return 200, checkout_page_view(state_of(request), request.match_info["session"])


@_route("POST", "/_emulator/checkout/{session}/pay")
async def checkout_pay(request: web.Request) -> tuple[int, Any]:
    state = state_of(request)
    account, session = _session(request)
    if session["status"] != "open":
        raise StripeError(
            410 if session["status"] == "expired" else 400,
            f"This Checkout Session is no longer open (status: {session['status']}).",
            code="checkout_session_not_open",
        )
    data = await read_body(request)
    customer = {k: data.get(k) for k in ("email", "name", "country", "postal_code")}
    if session["amount_total"] == 0:
        complete_session(state, account, session, None, customer)
        return 200, {"status": "complete", "redirect_url": success_redirect_url(session)}
    base_url = public_base_url(request)
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
        confirm_intent(call, intent, params)
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
    complete_session(state, account, session, intent, customer)
    return 200, {"status": "complete", "redirect_url": success_redirect_url(session)}


def _session_intent(
    state: EmulatorState, account: Account, session: dict[str, Any], base_url: str
) -> dict[str, Any]:
    """The session's PaymentIntent, made on the first payment attempt and reused after."""
    current = account.objects["payment_intent"].get(session["payment_intent"] or "")
    if current is not None and current["status"] in AWAITING_PAYMENT:
        return current
    data = account.intent_data.get(session["id"], {})
    params: dict[str, Any] = {
        "amount": session["amount_total"],
        "currency": session["currency"],
        "automatic_payment_methods": {"enabled": False},
        "metadata": data.get("metadata", {}),
    }
    for name in INTENT_DATA_FIELDS:
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
