"""Checkout Sessions in payment mode (spec §5): create, retrieve, update, expire, list, items.

Choices where the spec leaves room ([?]):
- Only ``mode=payment`` and ``ui_mode=hosted_page`` are emulated; ``automatic_tax`` and
  ``dynamic_tax_rates`` are refused (they need Stripe Tax / an address), other modes too.
- ``price_data`` makes an inactive inline Price and Product; ``line_items[][price]`` names an
  active one-time Price (``prices.py``).
- An amount-off coupon must be in the session currency.
- A zero total is allowed and completes with ``payment_status=no_payment_required``.
- On expiry a PaymentIntent the session made (if any, and not yet succeeded) is canceled.
- Coupon ``times_redeemed`` grows by one when a session completes.
- Inactive tax rates are refused.
- ``success_url`` is required (a hosted page must have somewhere to send the customer; newer
  API versions may let Stripe show its own confirmation page instead, which the emulator does
  not have); ``return_url`` is refused (embedded modes only). ``success_url`` and
  ``cancel_url`` must be absolute http(s) URLs: 400 ``url_invalid``, "Not a valid URL".
- Parameters the emulator does not act on are refused with a 400 naming them (see
  ``CREATE_SUPPORTED`` and ``INTENT_DATA_SUPPORTED``): customers, shipping and phone
  collection, custom fields and text, invoices, saved payment methods, Connect
  (``payment_intent_data[transfer_data]``, ``on_behalf_of``, ``application_fee_amount``),
  ``payment_intent_data[setup_future_usage]``, ``payment_intent_data[capture_method]=manual``
  (Checkout would report ``paid`` for an uncaptured payment), promotion codes,
  ``billing_address_collection=required``, ``customer_creation=always``. Update takes only
  ``metadata``; ``line_items``, ``shipping_options`` and the rest are refused.
- ``payment_intent_data[statement_descriptor]`` is refused as for a card PaymentIntent.
- The PaymentIntent is created on the first payment attempt (deferred creation, API
  2022-08-01), and ``session.payment_intent`` names it from then on, also while the session is
  still open after a decline.
"""

from __future__ import annotations

from typing import Any

from stripe.params.checkout import (
    SessionCreateParams,
    SessionExpireParams,
    SessionListLineItemsParams,
    SessionListParams,
    SessionRetrieveParams,
    SessionUpdateParams,
)

from stripe_emulator import ids
from stripe_emulator.accounts import Account
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.events import emit
from stripe_emulator.lists import list_objects, paginate
from stripe_emulator.money import MINIMUMS, check_amount, format_amount
from stripe_emulator.resources.charges import settle_charge
from stripe_emulator.resources.checkout_fields import unused_fields
from stripe_emulator.resources.common import (
    check_statement_descriptors,
    check_url,
    merged_metadata,
    refuse_unsupported,
    update_fields,
)
from stripe_emulator.resources.line_items import (
    apply_totals,
    line_item,
    public_item,
    session_coupon,
)
from stripe_emulator.resources.payment_intents import CANCELABLE, cancel_intent
from stripe_emulator.state import EmulatorState

MAX_LINE_ITEMS = 100
DEFAULT_LIFETIME = 24 * 3600
MIN_LIFETIME = 30 * 60

# What create acts on; every other parameter the SDK knows is refused with a 400 naming it.
CREATE_SUPPORTED = {
    "allow_promotion_codes", "allowed_payment_method_types", "automatic_tax",
    "billing_address_collection", "cancel_url", "client_reference_id", "currency",
    "customer_creation", "customer_email", "discounts", "excluded_payment_method_types",
    "expand", "expires_at", "line_items", "locale", "metadata", "mode", "payment_intent_data",
    "return_url", "submit_type", "success_url", "ui_mode",
}  # fmt: skip
INTENT_DATA_SUPPORTED = {
    "capture_method", "description", "metadata", "receipt_email", "shipping",
    "statement_descriptor", "statement_descriptor_suffix", "transfer_group",
}  # fmt: skip
# The session's PaymentIntent is made from these payment_intent_data fields.
INTENT_DATA_FIELDS = tuple(sorted(INTENT_DATA_SUPPORTED - {"metadata"}))
UPDATE_SUPPORTED = {"expand", "metadata"}


def _check_create(params: dict[str, Any]) -> None:
    """Everything create refuses that does not depend on the line items."""
    refuse_unsupported(params, CREATE_SUPPORTED)
    if params.get("mode", "payment") != "payment":
        raise StripeError.unsupported("mode", f"mode={params['mode']}")
    ui_mode = params.get("ui_mode", "hosted_page")
    if ui_mode != "hosted_page":
        raise StripeError.unsupported("ui_mode", f"ui_mode={ui_mode}")
    if (params.get("automatic_tax") or {}).get("enabled"):
        raise StripeError.unsupported("automatic_tax[enabled]", "Stripe Tax (automatic_tax)")
    if "return_url" in params:
        raise StripeError.invalid_param(
            "return_url",
            "You can only specify `return_url` when `ui_mode` is `embedded_page` or "
            "`elements`; a hosted page redirects to `success_url`.",
        )
    if "success_url" not in params:
        raise StripeError.missing_parameter("success_url")
    check_url(params, "success_url")
    check_url(params, "cancel_url")
    refused_values = (
        ("allow_promotion_codes", True, "promotion codes (allow_promotion_codes=true)"),
        ("billing_address_collection", "required", "billing_address_collection=required"),
        ("customer_creation", "always", "customer_creation=always (no Customers)"),
    )
    for name, value, what in refused_values:
        if params.get(name) == value:
            raise StripeError.unsupported(name, what)
    if params.get("submit_type") not in (None, "auto", "pay"):
        raise StripeError.unsupported("submit_type", f"submit_type={params['submit_type']}")
    for index, kind in enumerate(params.get("allowed_payment_method_types") or []):
        if kind != "card":
            raise StripeError.unsupported(
                f"allowed_payment_method_types[{index}]", f"the payment method type `{kind}`"
            )
    if "card" in (params.get("excluded_payment_method_types") or []):
        raise StripeError.unsupported(
            "excluded_payment_method_types", "excluding `card` (only cards are emulated)"
        )
    intent_data = params.get("payment_intent_data") or {}
    refuse_unsupported(intent_data, INTENT_DATA_SUPPORTED, "payment_intent_data")
    if intent_data.get("capture_method") == "manual":
        raise StripeError.unsupported(
            "payment_intent_data[capture_method]",
            "manual capture in Checkout (payment_intent_data[capture_method]=manual)",
        )
    check_statement_descriptors(intent_data, "payment_intent_data")
    merged_metadata(None, intent_data.get("metadata", {}))


def create(call: Call) -> dict[str, Any]:
    params, account = call.params, call.account
    _check_create(params)
    metadata = merged_metadata(None, params.get("metadata", {}))
    lines = params.get("line_items")
    if not lines:
        raise StripeError.missing_parameter("line_items")
    if len(lines) > MAX_LINE_ITEMS:
        raise StripeError.invalid_param(
            "line_items",
            f"You may only specify up to {MAX_LINE_ITEMS} line items in payment mode.",
        )
    discounts = params.get("discounts") or []
    if len(discounts) > 1:
        raise StripeError.invalid_param(
            "discounts", "You may only specify one discount (coupon or promotion code)."
        )
    if discounts and "allow_promotion_codes" in params:
        raise StripeError.invalid_param(
            "allow_promotion_codes",
            "You may only specify one of these parameters: allow_promotion_codes, discounts.",
            "parameters_exclusive",
        )
    now = call.now
    expires_at = params.get("expires_at", now + DEFAULT_LIFETIME)
    if not now + MIN_LIFETIME <= expires_at <= now + DEFAULT_LIFETIME:
        raise StripeError.invalid_param(
            "expires_at",
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout "
            "Session creation.",
        )
    items = [line_item(account, line, index, now) for index, line in enumerate(lines)]
    currency = items[0]["currency"]
    for index, item in enumerate(items):
        if item["currency"] != currency:
            raise StripeError.invalid_param(
                f"line_items[{index}][price_data][currency]",
                "All line items must use the same currency; "
                f"line_items[0] is {currency}, line_items[{index}] is {item['currency']}.",
            )
    if params.get("currency", currency) != currency:
        raise StripeError.invalid_param(
            "currency", f"The currency must match the line items' currency ({currency})."
        )
    coupon = session_coupon(account, discounts[0], currency) if discounts else None
    session_id = ids.checkout_session_id()
    result = apply_totals(account, session_id, items, coupon, now)
    if 0 < result.total < MINIMUMS.get(currency, 50):
        minimum = MINIMUMS.get(currency, 50)
        raise StripeError(
            400,
            "The Checkout Session's total amount due must add up to at least "
            f"{format_amount(minimum, currency)} {currency}",
            code="amount_too_small", param="line_items", stored=False,
        )  # fmt: skip
    if result.total:
        check_amount(result.total, currency, "line_items")
    intent_data = params.get("payment_intent_data") or {}
    session: dict[str, Any] = {
        "id": session_id,
        "object": "checkout.session",
        **unused_fields(),
        "allow_promotion_codes": params.get("allow_promotion_codes"),
        "amount_subtotal": result.subtotal,
        "amount_total": result.total,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": params.get("billing_address_collection"),
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "client_secret": None,
        "created": now,
        "currency": currency,
        "customer": None,
        "customer_creation": params.get("customer_creation", "if_required"),
        "customer_details": None,
        "customer_email": params.get("customer_email"),
        "discounts": [{"coupon": coupon["id"], "promotion_code": None}] if coupon else [],
        "expires_at": expires_at,
        "invoice": None,
        "livemode": False,
        "locale": params.get("locale"),
        "metadata": metadata,
        "mode": "payment",
        "payment_intent": None,
        "payment_link": None,
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "submit_type": params.get("submit_type"),
        "success_url": params.get("success_url"),
        "total_details": {
            "amount_discount": result.discount,
            "amount_shipping": 0,
            "amount_tax": result.tax,
        },
        "ui_mode": "hosted_page",
        "url": f"{call.base_url}/c/pay/{session_id}",
    }
    account.put(session)
    account.schedule_expiry(expires_at, session_id)
    account.intent_data[session_id] = intent_data
    return session


# --- retrieve, update, list, expire -------------------------------------------------------


def retrieve(call: Call) -> dict[str, Any]:
    return call.account.get("checkout.session", call.path["session"], "session")


def update(call: Call) -> dict[str, Any]:
    refuse_unsupported(call.params, UPDATE_SUPPORTED)
    session = retrieve(call)
    update_fields(session, call.params)
    return session


def list_sessions(call: Call) -> dict[str, Any]:
    filters = ("payment_intent", "status", "customer", "client_reference_id")
    return list_objects(call, "checkout.session", "/v1/checkout/sessions", filters)


def list_line_items(call: Call) -> dict[str, Any]:
    session = retrieve(call)
    items = [public_item(item) for item in call.account.line_items[session["id"]]]
    url = f"/v1/checkout/sessions/{session['id']}/line_items"
    return paginate(items, call.params, url, "item")


def expire(call: Call) -> dict[str, Any]:
    session = retrieve(call)
    if session["status"] != "open":
        raise StripeError.invalid_param(
            None,
            'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
            f"Session has a status of `{session['status']}`.",
        )
    return expire_session(call.state, call.account, session)


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


ENDPOINTS = [
    Endpoint("POST", "/v1/checkout/sessions", create, SessionCreateParams),
    Endpoint("GET", "/v1/checkout/sessions", list_sessions, SessionListParams),
    Endpoint("GET", "/v1/checkout/sessions/{session}", retrieve, SessionRetrieveParams),
    Endpoint("POST", "/v1/checkout/sessions/{session}", update, SessionUpdateParams),
    Endpoint("POST", "/v1/checkout/sessions/{session}/expire", expire, SessionExpireParams),
    Endpoint(
        "GET",
        "/v1/checkout/sessions/{session}/line_items",
        list_line_items,
        SessionListLineItemsParams,
    ),
]
