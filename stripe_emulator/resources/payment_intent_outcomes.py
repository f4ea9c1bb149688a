"""What a confirmation ends in: a charge that succeeds, a decline (Stripe's 402 with the
PaymentIntent embedded), a 3-D Secure challenge, and the challenge's two answers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from stripe_emulator.accounts import Account
from stripe_emulator.cards import Decline, card_error
from stripe_emulator.endpoint import Call
from stripe_emulator.errors import AUTHENTICATION_FAILED, StripeError
from stripe_emulator.events import emit
from stripe_emulator.resources.charges import create_charge, settle_charge
from stripe_emulator.resources.stripe_js import publishable_view
from stripe_emulator.state import EmulatorState


def require_action(
    call: Call,
    intent: dict[str, Any],
    method: dict[str, Any],
    params: dict[str, Any],
    return_url: str | None,
) -> dict[str, Any]:
    # The challenge page learns where to send the customer back from its own URL.
    query = {"client_secret": intent["client_secret"], "return_url": return_url}
    url = f"{call.base_url}/3ds/{intent['id']}?{urlencode({k: v for k, v in query.items() if v})}"
    if params.get("use_stripe_sdk"):
        intent["next_action"] = {
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": url,
                               "source": method["id"]},
        }  # fmt: skip
    else:
        intent["next_action"] = {
            "type": "redirect_to_url",
            "redirect_to_url": {"url": url, "return_url": return_url},
        }
    intent["status"] = "requires_action"
    intent["last_payment_error"] = None
    emit(call.state, call.account, "payment_intent.requires_action", intent)
    return intent


def succeed(
    state: EmulatorState, account: Account, intent: dict[str, Any], method: dict[str, Any]
) -> dict[str, Any]:
    charge = create_charge(account, intent, method, state.clock.now())
    intent.update(
        latest_charge=charge["id"], payment_method=method["id"], last_payment_error=None,
        next_action=None,
    )  # fmt: skip
    emit(state, account, "charge.succeeded", charge)
    if intent["capture_method"] == "manual":
        intent.update(status="requires_capture", amount_capturable=intent["amount"])
        emit(state, account, "payment_intent.amount_capturable_updated", intent)
    else:
        intent.update(status="succeeded", amount_received=intent["amount"])
        emit(state, account, "payment_intent.succeeded", intent)
        if intent["id"] not in account.session_of_intent:  # Checkout settles after completing
            settle_charge(state, account, charge["id"])
    return intent


def decline(
    state: EmulatorState,
    account: Account,
    intent: dict[str, Any],
    method: dict[str, Any],
    failure: Decline,
    publishable: bool,
) -> dict[str, Any]:
    """Record a declined charge and raise Stripe's 402 with the PaymentIntent embedded."""
    charge = create_charge(account, intent, method, state.clock.now(), failure)
    error = card_error(failure.code, failure.message, failure.param)
    details = error.body()["error"]
    if failure.decline_code:
        details["decline_code"] = failure.decline_code
    details.update(charge=charge["id"], payment_method=method, payment_method_type="card")
    intent.update(
        status="requires_payment_method", last_payment_error=details, payment_method=None,
        latest_charge=charge["id"], next_action=None,
    )  # fmt: skip
    emit(state, account, "charge.failed", charge)
    emit(state, account, "payment_intent.payment_failed", intent)
    shown = publishable_view(intent) if publishable else intent
    raise StripeError(
        402, failure.message, type="card_error", code=failure.code, param=failure.param,
        **{k: details[k] for k in ("decline_code",) if k in details},
        charge=charge["id"], payment_method=method, payment_intent=shown,
    )  # fmt: skip


def fail_authentication(
    state: EmulatorState, account: Account, intent: dict[str, Any]
) -> dict[str, Any]:
    """The customer failed the 3-D Secure challenge: back to requires_payment_method."""
    method = account.objects["payment_method"].get(intent["payment_method"] or "")
    code = "payment_intent_authentication_failure"
    error = {
        "type": "invalid_request_error", "code": code, "message": AUTHENTICATION_FAILED,
        "doc_url": f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}",
        "payment_method": method, "payment_method_type": "card",
    }  # fmt: skip
    intent.update(
        status="requires_payment_method", last_payment_error=error, payment_method=None,
        next_action=None,
    )  # fmt: skip
    emit(state, account, "payment_intent.payment_failed", intent)
    return intent


def complete_authentication(
    state: EmulatorState, account: Account, intent: dict[str, Any]
) -> dict[str, Any]:
    """The customer passed the 3-D Secure challenge: the payment goes through."""
    method = account.get("payment_method", intent["payment_method"], "payment_method")
    return succeed(state, account, intent, method)
