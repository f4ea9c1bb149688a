"""How a Checkout Session ends: expired (by request or by the clock, canceling the
PaymentIntent it made) or completed once the customer paid or owed nothing."""

from __future__ import annotations

from typing import Any

from stripe_emulator.accounts import Account
from stripe_emulator.events import emit
from stripe_emulator.resources.charges import settle_charge
from stripe_emulator.resources.payment_intent_rules import CANCELABLE
from stripe_emulator.resources.payment_intents import cancel_intent
from stripe_emulator.state import EmulatorState


def expire_session(
    state: EmulatorState, account: Account, session: dict[str, Any]
) -> dict[str, Any]:
    session.update(status="expired", url=None)
    intent = account.objects["payment_intent"].get(session["payment_intent"] or "")
    if intent is not None and intent["status"] in CANCELABLE:
        cancel_intent(state, account, intent, "abandoned")
    emit(state, account, "checkout.session.expired", session)
    return session


def expire_due_sessions(state: EmulatorState, account: Account) -> None:
    """Sessions past ``expires_at`` (by the emulator clock) become expired."""
    for session_id in list(account.due_sessions(state.clock.now())):
        session = account.objects["checkout.session"].get(session_id)
        if session is not None and session["status"] == "open":
            expire_session(state, account, session)


def complete_session(
    state: EmulatorState,
    account: Account,
    session: dict[str, Any],
    intent: dict[str, Any] | None,
    customer: dict[str, Any],
) -> dict[str, Any]:
    """The customer paid (or owed nothing): the session completes and says so."""
    session.update(
        status="complete",
        payment_status="paid" if intent is not None else "no_payment_required",
        payment_intent=intent["id"] if intent is not None else None,
        url=None,
        customer_details={
            "address": {"city": None, "country": customer.get("country"), "line1": None,
                        "line2": None, "postal_code": customer.get("postal_code"),
                        "state": None},
            "business_name": None,
            "email": customer.get("email") or session["customer_email"],
            "individual_name": None,
            "name": customer.get("name"),
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        collected_information={"business_name": None, "individual_name": None,
                               "shipping_details": None},
    )  # fmt: skip
    for discount in session["discounts"]:
        coupon = account.objects["coupon"].get(discount["coupon"])
        if coupon is not None:
            coupon["times_redeemed"] += 1
    emit(state, account, "checkout.session.completed", session)
    if intent is not None:
        settle_charge(state, account, intent["latest_charge"])
    return session


def success_redirect_url(session: dict[str, Any]) -> str | None:
    url = session["success_url"]
    return url.replace("{CHECKOUT_SESSION_ID}", session["id"]) if url else None
