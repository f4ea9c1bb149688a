"""Checkout Sessions in payment mode: create, retrieve, update, expire, list, items
(https://docs.stripe.com/api/checkout/sessions).

Choices where Stripe's documentation leaves room ([?]):
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
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.lists import list_objects, paginate
from stripe_emulator.money import MINIMUMS, check_amount, format_amount
from stripe_emulator.resources.checkout_fields import unused_fields
from stripe_emulator.resources.checkout_outcomes import expire_session
from stripe_emulator.resources.checkout_params import UPDATE_SUPPORTED, check_create
from stripe_emulator.resources.common import (
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
from stripe_emulator.totals import Totals

MAX_LINE_ITEMS = 100
DEFAULT_LIFETIME = 24 * 3600
MIN_LIFETIME = 30 * 60


def _check_lines_and_discounts(params: dict[str, Any]) -> list[dict[str, Any]]:
    """The line items and the one discount Checkout takes."""
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
    return list(lines)


def _expires_at(params: dict[str, Any], now: int) -> int:
    expires_at: int = params.get("expires_at", now + DEFAULT_LIFETIME)
    if not now + MIN_LIFETIME <= expires_at <= now + DEFAULT_LIFETIME:
        raise StripeError.invalid_param(
            "expires_at",
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout "
            "Session creation.",
        )
    return expires_at


def _session_currency(params: dict[str, Any], items: list[dict[str, Any]]) -> str:
    """The one currency of every line item (and of ``currency``, if given)."""
    currency: str = items[0]["currency"]
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
    return currency


def _check_total(total: int, currency: str) -> None:
    if 0 < total < MINIMUMS.get(currency, 50):
        minimum = MINIMUMS.get(currency, 50)
        raise StripeError(
            400,
            "The Checkout Session's total amount due must add up to at least "
            f"{format_amount(minimum, currency)} {currency}",
            code="amount_too_small", param="line_items", stored=False,
        )  # fmt: skip
    if total:
        check_amount(total, currency, "line_items")


def _new_session(
    call: Call,
    session_id: str,
    currency: str,
    totals: Totals,
    coupon: dict[str, Any] | None,
    expires_at: int,
) -> dict[str, Any]:
    params, now = call.params, call.now
    return {
        "id": session_id,
        "object": "checkout.session",
        **unused_fields(),
        "allow_promotion_codes": params.get("allow_promotion_codes"),
        "amount_subtotal": totals.subtotal,
        "amount_total": totals.total,
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
        "metadata": merged_metadata(None, params.get("metadata", {})),
        "mode": "payment",
        "payment_intent": None,
        "payment_link": None,
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "submit_type": params.get("submit_type"),
        "success_url": params.get("success_url"),
        "total_details": {
            "amount_discount": totals.discount,
            "amount_shipping": 0,
            "amount_tax": totals.tax,
        },
        "ui_mode": "hosted_page",
        "url": f"{call.base_url}/c/pay/{session_id}",
    }


def create(call: Call) -> dict[str, Any]:
    params, account, now = call.params, call.account, call.now
    check_create(params)
    lines = _check_lines_and_discounts(params)
    discounts = params.get("discounts") or []
    expires_at = _expires_at(params, now)
    items = [line_item(account, line, index, now) for index, line in enumerate(lines)]
    currency = _session_currency(params, items)
    coupon = session_coupon(account, discounts[0], currency) if discounts else None
    session_id = ids.checkout_session_id()
    result = apply_totals(account, session_id, items, coupon, now)
    _check_total(result.total, currency)
    session = _new_session(call, session_id, currency, result, coupon, expires_at)
    account.put(session)
    account.schedule_expiry(expires_at, session_id)
    account.intent_data[session_id] = params.get("payment_intent_data") or {}
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
