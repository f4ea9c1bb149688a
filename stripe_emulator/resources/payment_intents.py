"""PaymentIntents (spec §4): create, retrieve, update, confirm, cancel, list.

Choices where the spec leaves room ([?]):
- A secret-key confirm needs ``return_url`` unless ``off_session`` or
  ``automatic_payment_methods[allow_redirects]=never``; a publishable-key (Stripe.js) confirm
  does not, since Stripe.js handles redirects itself.
- After a decline ``payment_method`` is reset to null; ``latest_charge`` names the failed charge.
- A 3-D Secure card confirmed ``off_session`` is declined with ``authentication_required``.
- ``capture_method=manual`` stops at ``requires_capture`` (capture is not emulated).
- ``metadata``, ``description``, ``receipt_email`` and ``shipping`` can be updated in any status;
  every other field only while the PaymentIntent awaits payment.
- ``amount_details`` is checked as sum(unit_cost*quantity) - discount + tax + shipping == amount
  when line items are given (or discount + tax + shipping <= amount without them); with
  ``enforce_arithmetic_validation=false`` the problem is reported in ``amount_details.error``.
- Parameters the emulator does not act on are refused with a 400 naming them ("The Stripe
  emulator does not support …"), never accepted and dropped: ``customer``, ``on_behalf_of``,
  ``transfer_data``, ``application_fee_amount``, ``mandate``/``mandate_data``,
  ``payment_method_options``, ``payment_method_configuration``, ``setup_future_usage``,
  ``radar_options``, ``confirmation_token``, ``payment_details``, ``hooks``,
  ``confirmation_method=manual``, secret-key ``payment_method_data``, payment method types
  other than ``card`` (see ``CREATE_SUPPORTED``, ``UPDATE_SUPPORTED``, ``CONFIRM_SUPPORTED``).
- ``statement_descriptor`` is refused (every emulated payment is a card charge, and the SDK's
  docstring says setting it for a card charge returns an error); the message wording is ours.
  ``statement_descriptor_suffix`` must fit the 22-character complete descriptor after the
  account prefix and ``"* "``; emulated accounts have the prefix ``EMULATOR`` (8 characters),
  so the suffix may have 12.
- ``error_on_requires_action``, ``mandate``, ``mandate_data``, ``off_session``,
  ``return_url`` and ``use_stripe_sdk`` on create need ``confirm=true`` (the SDK docstrings
  say so for all but ``use_stripe_sdk``, which the emulator treats alike); wording ours.
  ``error_on_requires_action`` with a 3-D Secure card declines ``authentication_required``.
- ``return_url`` must be an absolute http(s) URL (400 ``url_invalid`` "Not a valid URL").
- Updates and confirmations are all or nothing: every check runs on a draft, and the
  PaymentIntent and its line items change only once the whole request has passed.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlencode

from stripe.params import (
    PaymentIntentCancelParams,
    PaymentIntentConfirmParams,
    PaymentIntentCreateParams,
    PaymentIntentListParams,
    PaymentIntentRetrieveParams,
    PaymentIntentUpdateParams,
)

from stripe_emulator import ids
from stripe_emulator.accounts import Account
from stripe_emulator.api_versions import automatic_payment_methods_default
from stripe_emulator.cards import (
    AUTHENTICATION_REQUIRED,
    DECLINES,
    THREE_D_SECURE,
    Card,
    Decline,
    card_error,
    card_from_form,
)
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import (
    AUTHENTICATION_FAILED,
    CLIENT_SECRET_MISMATCH,
    StripeError,
)
from stripe_emulator.events import emit
from stripe_emulator.lists import list_objects
from stripe_emulator.money import check_amount, check_currency
from stripe_emulator.resources.amount_details import EMPTY as EMPTY_AMOUNT_DETAILS
from stripe_emulator.resources.amount_details import apply_amount_details, as_params, store_lines
from stripe_emulator.resources.charges import (
    card_year,
    create_charge,
    create_payment_method,
    resolve_payment_method,
    settle_charge,
)
from stripe_emulator.resources.common import (
    blank_to_none,
    check_statement_descriptors,
    check_url,
    merged_metadata,
    refuse_unsupported,
    update_fields,
)
from stripe_emulator.resources.stripe_js import (
    StripeJsConfirmParams,
    StripeJsRetrieveParams,
    publishable_view,
)
from stripe_emulator.state import EmulatorState

AWAITING_PAYMENT = ("requires_payment_method", "requires_confirmation", "requires_action")
CANCELABLE = (
    "requires_payment_method", "requires_confirmation", "requires_action", "requires_capture",
    "processing",
)  # fmt: skip
ALWAYS_UPDATABLE = {"metadata", "description", "receipt_email", "shipping", "expand"}
UPDATABLE = (
    "amount", "capture_method", "currency", "description", "excluded_payment_method_types",
    "receipt_email", "shipping", "statement_descriptor_suffix", "transfer_group",
)  # fmt: skip

# What each call acts on; any other parameter the SDK knows is refused with a 400 naming it
# (customers, Connect, mandates, payment method options... are not emulated), so the shop can
# never pass here on a parameter Stripe would act on.
CREATE_SUPPORTED = {
    "allowed_payment_method_types", "amount", "amount_details", "automatic_payment_methods",
    "capture_method", "confirm", "confirmation_method", "currency", "description",
    "error_on_requires_action", "excluded_payment_method_types", "expand", "metadata",
    "off_session", "payment_method", "receipt_email", "return_url", "shipping",
    "statement_descriptor", "statement_descriptor_suffix", "transfer_group", "use_stripe_sdk",
}  # fmt: skip
UPDATE_SUPPORTED = {*UPDATABLE, "allowed_payment_method_types", "amount_details", "expand",
                    "metadata", "payment_method", "statement_descriptor"}  # fmt: skip
CONFIRM_SUPPORTED = {
    "allowed_payment_method_types", "amount_details", "capture_method",
    "error_on_requires_action", "excluded_payment_method_types", "expand", "off_session",
    "payment_method", "receipt_email", "return_url", "shipping", "use_stripe_sdk",
}  # fmt: skip
STRIPE_JS_CONFIRM = {"client_secret", "key", "payment_method_data"}
ONLY_WITH_CONFIRM = (
    "error_on_requires_action", "mandate", "mandate_data", "off_session", "return_url",
    "use_stripe_sdk",
)  # fmt: skip


def view(call: Call, intent: dict[str, Any]) -> dict[str, Any]:
    return publishable_view(intent) if call.publishable else intent


# --- create -----------------------------------------------------------------------------


def create(call: Call) -> dict[str, Any]:
    params = call.params
    if not params.get("confirm"):
        for name in ONLY_WITH_CONFIRM:
            if name in params:
                raise StripeError.invalid_param(
                    name, f"The parameter `{name}` can only be used with `confirm=true`."
                )
    refuse_unsupported(params, CREATE_SUPPORTED)
    if params.get("confirmation_method") == "manual":
        raise StripeError.unsupported("confirmation_method", "confirmation_method=manual")
    check_currency(params["currency"])
    check_amount(params["amount"], params["currency"])
    _check_exclusive_payment_method_options(params)
    _check_payment_method_types(params)
    check_statement_descriptors(params)
    check_url(params, "return_url")
    metadata = merged_metadata(None, params.get("metadata", {}))
    intent_id = ids.new_id("pi")
    automatic = params.get("automatic_payment_methods")
    intent: dict[str, Any] = {
        "id": intent_id,
        "object": "payment_intent",
        "allowed_payment_method_types": params.get("allowed_payment_method_types"),
        "amount": params["amount"],
        "amount_capturable": 0,
        "amount_details": dict(EMPTY_AMOUNT_DETAILS),
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": (
            None
            if "allowed_payment_method_types" in params
            else automatic_payment_methods_default(call.api_version)
            if automatic is None
            else {
                "enabled": automatic["enabled"],
                "allow_redirects": automatic.get("allow_redirects", "always"),
            }
        ),
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": params.get("capture_method", "automatic_async"),
        "client_secret": ids.client_secret(intent_id),
        "confirmation_method": params.get("confirmation_method", "automatic"),
        "created": call.now,
        "currency": params["currency"],
        "customer": None,
        "customer_account": None,
        "description": params.get("description"),
        "excluded_payment_method_types": params.get("excluded_payment_method_types"),
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "managed_payments": None,
        "metadata": metadata,
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "payment_record": None,
        "processing": None,
        "receipt_email": params.get("receipt_email"),
        "review": None,
        "setup_future_usage": None,
        "shipping": params.get("shipping"),
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": params.get("statement_descriptor_suffix"),
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": params.get("transfer_group"),
    }
    if isinstance(params.get("payment_method"), str):
        resolve_payment_method(call.account, params["payment_method"], call.now)
        intent["payment_method"] = params["payment_method"]
        intent["status"] = "requires_confirmation"
    lines = None
    if params.get("amount_details"):
        lines = apply_amount_details(intent, params["amount_details"], None)
    call.account.put(intent)
    store_lines(call.account, intent_id, lines)
    emit(call.state, call.account, "payment_intent.created", intent)
    if params.get("confirm"):
        return confirm_intent(call, intent, params)
    return intent


def _check_exclusive_payment_method_options(params: dict[str, Any]) -> None:
    given = [
        name
        for name in ("allowed_payment_method_types", "automatic_payment_methods")
        if name in params
    ]
    if len(given) > 1:
        raise StripeError.invalid_param(
            given[1],
            f"You may only specify one of these parameters: {', '.join(given)}.",
            "parameters_exclusive",
        )


def _check_payment_method_types(params: dict[str, Any]) -> None:
    """Only cards are emulated: ``allowed_payment_method_types`` may name only ``card`` and
    ``excluded_payment_method_types`` may not exclude it."""
    for index, kind in enumerate(params.get("allowed_payment_method_types") or []):
        if kind != "card":
            raise StripeError.unsupported(
                f"allowed_payment_method_types[{index}]", f"the payment method type `{kind}`"
            )
    if "card" in (params.get("excluded_payment_method_types") or []):
        raise StripeError.unsupported(
            "excluded_payment_method_types", "excluding `card` (only cards are emulated)"
        )


def _apply_payment_method_types(intent: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("allowed_payment_method_types"):
        intent["automatic_payment_methods"] = None
        intent["allowed_payment_method_types"] = params["allowed_payment_method_types"]
    if "excluded_payment_method_types" in params:
        intent["excluded_payment_method_types"] = params["excluded_payment_method_types"] or None


# --- retrieve, update, list ---------------------------------------------------------------


def _intent(call: Call) -> dict[str, Any]:
    intent = call.account.get("payment_intent", call.path["intent"], "intent")
    if call.publishable:
        secret = call.params.get("client_secret")
        if secret is None:
            raise StripeError.missing_parameter("client_secret")
        if secret != intent["client_secret"]:
            raise StripeError(
                400, CLIENT_SECRET_MISMATCH, code="payment_intent_invalid_parameter",
                param="client_secret",
            )  # fmt: skip
    return intent


def retrieve(call: Call) -> dict[str, Any]:
    return view(call, _intent(call))


def update(call: Call) -> dict[str, Any]:
    """All or nothing: every check runs on a draft; the PaymentIntent and its line items
    change only once the whole request has passed."""
    intent = _intent(call)
    params = call.params
    restricted = sorted(set(params) - ALWAYS_UPDATABLE)
    if restricted and intent["status"] not in AWAITING_PAYMENT:
        raise StripeError.unexpected_state(
            f"This PaymentIntent's {restricted[0]} could not be updated because it has a status "
            f"of {intent['status']}. You may only update the {restricted[0]} of a PaymentIntent "
            f"with one of the following statuses: {', '.join(AWAITING_PAYMENT)}."
        )
    refuse_unsupported(params, UPDATE_SUPPORTED)
    _check_exclusive_payment_method_options(params)
    _check_payment_method_types(params)
    check_statement_descriptors(params)
    currency = params.get("currency", intent["currency"])
    amount = params.get("amount", intent["amount"])
    if "currency" in params or "amount" in params:
        check_currency(currency)
        check_amount(amount, currency)
    draft = copy.deepcopy(intent)
    update_fields(draft, params, UPDATABLE)
    _apply_payment_method_types(draft, params)
    if isinstance(params.get("payment_method"), str):
        resolve_payment_method(call.account, params["payment_method"], call.now)
        draft["payment_method"] = params["payment_method"]
        if draft["status"] == "requires_payment_method":
            draft["status"] = "requires_confirmation"
    lines = call.account.line_items.get(intent["id"])
    if "amount_details" in params:
        lines = apply_amount_details(draft, params["amount_details"], lines)
    elif "amount" in params and draft["amount_details"]:
        # The stored line data must still add up to the new amount (checklist §2.4).
        lines = apply_amount_details(draft, as_params(draft["amount_details"]), lines)
    _commit(intent, draft)
    store_lines(call.account, intent["id"], lines)
    return intent


def _commit(intent: dict[str, Any], draft: dict[str, Any]) -> None:
    """Replace the stored PaymentIntent's content (the same dict: lookups keep working)."""
    intent.clear()
    intent.update(draft)


def list_intents(call: Call) -> dict[str, Any]:
    return list_objects(call, "payment_intent", "/v1/payment_intents", ("customer",))


# --- confirm ------------------------------------------------------------------------------


def confirm(call: Call) -> dict[str, Any]:
    intent = _intent(call)
    if not call.publishable and intent["id"] in call.account.session_of_intent:
        raise StripeError.unexpected_state(
            "This PaymentIntent was created by a Checkout Session and cannot be confirmed "
            "through the API; the customer pays on the Checkout page."
        )
    supported = CONFIRM_SUPPORTED | (STRIPE_JS_CONFIRM if call.publishable else set())
    refuse_unsupported(call.params, supported)
    _check_payment_method_types(call.params)
    check_url(call.params, "return_url")
    return view(call, confirm_intent(call, intent, call.params))


def confirm_intent(call: Call, intent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Run a confirmation: the card decides between success, decline and 3-D Secure."""
    status = intent["status"]
    if status not in AWAITING_PAYMENT:
        if status == "succeeded":
            message = (
                "You cannot confirm this PaymentIntent because it has already succeeded after "
                "being previously confirmed."
            )
        else:
            message = (
                f"You cannot confirm this PaymentIntent because it has a status of {status}. "
                "Only a PaymentIntent with one of the following statuses may be confirmed: "
                f"{', '.join(AWAITING_PAYMENT)}."
            )
        raise StripeError.unexpected_state(message)
    state, account = call.state, call.account
    # Everything that can refuse the request runs on a draft before the PaymentIntent changes.
    draft = copy.deepcopy(intent)
    # Kept beside the PaymentIntent: Stripe never returns it as a field.
    return_url = params.get("return_url") or account.return_urls.get(intent["id"])
    _require_return_url(call, draft, params, return_url)
    for name in ("receipt_email", "shipping", "capture_method"):
        if name in params:
            draft[name] = blank_to_none(params[name])
    _apply_payment_method_types(draft, params)
    lines = account.line_items.get(intent["id"])
    if "amount_details" in params:
        lines = apply_amount_details(draft, params["amount_details"], lines)
    method, card = _payment_method_for(call, draft, params)
    _commit(intent, draft)
    store_lines(account, intent["id"], lines)
    if return_url:
        account.return_urls[intent["id"]] = return_url
    intent["payment_method"] = method["id"]
    publishable = call.publishable
    if card.number in THREE_D_SECURE:
        if params.get("off_session") or params.get("error_on_requires_action"):
            return decline(state, account, intent, method, AUTHENTICATION_REQUIRED, publishable)
        return _require_action(call, intent, method, params, return_url)
    failure = DECLINES.get(card.number)
    if failure is not None:
        return decline(state, account, intent, method, failure, publishable)
    return succeed(state, account, intent, method)


def _payment_method_for(
    call: Call, intent: dict[str, Any], params: dict[str, Any]
) -> tuple[dict[str, Any], Card]:
    account, now = call.account, call.now
    card_data = (params.get("payment_method_data") or {}).get("card")
    if card_data:
        card = card_from_form(card_data, this_year=card_year(now))
        billing = (params.get("payment_method_data") or {}).get("billing_details")
        return create_payment_method(account, card, now, billing), card
    method_id = params.get("payment_method") or intent["payment_method"]
    if not method_id:
        raise StripeError.unexpected_state(
            "You cannot confirm this PaymentIntent because it's missing a payment method. "
            "You can update the PaymentIntent with a payment method and then confirm it again."
        )
    return resolve_payment_method(account, method_id, now)


def _require_return_url(
    call: Call, intent: dict[str, Any], params: dict[str, Any], return_url: str | None
) -> None:
    automatic = intent["automatic_payment_methods"] or {}
    if (
        call.publishable
        or params.get("off_session")
        or not automatic.get("enabled")
        or automatic.get("allow_redirects") == "never"
        or return_url
    ):
        return
    raise StripeError.invalid_param(
        "return_url",
        "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, "
        "because automatic_payment_methods is enabled. Some of these payment methods require "
        "a full page redirect to succeed, so you must provide a return_url. If you do not "
        "want to accept redirect-based payment methods, set "
        "automatic_payment_methods[allow_redirects] to never when creating Setup Intents and "
        "Payment Intents.",
    )


def _require_action(
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


# --- cancel -------------------------------------------------------------------------------


def cancel(call: Call) -> dict[str, Any]:
    intent = _intent(call)
    if intent["id"] in call.account.session_of_intent:
        raise StripeError.unexpected_state(
            "This PaymentIntent was created by a Checkout Session; expire the Checkout "
            "Session instead of canceling the PaymentIntent."
        )
    return cancel_intent(call.state, call.account, intent, call.params.get("cancellation_reason"))


def cancel_intent(
    state: EmulatorState, account: Account, intent: dict[str, Any], reason: str | None
) -> dict[str, Any]:
    if intent["status"] not in CANCELABLE:
        raise StripeError.unexpected_state(
            f"You cannot cancel this PaymentIntent because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            f"be canceled: {', '.join(CANCELABLE)}."
        )
    intent.update(
        status="canceled", canceled_at=state.clock.now(), cancellation_reason=reason,
        next_action=None, amount_capturable=0,
    )  # fmt: skip
    emit(state, account, "payment_intent.canceled", intent)
    return intent


ENDPOINTS = [
    Endpoint("POST", "/v1/payment_intents", create, PaymentIntentCreateParams),
    Endpoint("GET", "/v1/payment_intents", list_intents, PaymentIntentListParams),
    Endpoint(
        "GET", "/v1/payment_intents/{intent}", retrieve, PaymentIntentRetrieveParams,
        StripeJsRetrieveParams,
    ),
    Endpoint("POST", "/v1/payment_intents/{intent}", update, PaymentIntentUpdateParams),
    Endpoint(
        "POST", "/v1/payment_intents/{intent}/confirm", confirm, PaymentIntentConfirmParams,
        StripeJsConfirmParams,
    ),
    Endpoint("POST", "/v1/payment_intents/{intent}/cancel", cancel, PaymentIntentCancelParams),
]  # fmt: skip
