"""Coupons: create, retrieve, update (name, metadata, currency_options), delete, list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stripe.params import (
    CouponCreateParams,
    CouponDeleteParams,
    CouponListParams,
    CouponRetrieveParams,
    CouponUpdateParams,
)

from stripe_emulator import ids
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.events import emit
from stripe_emulator.lists import list_objects
from stripe_emulator.money import check_currency
from stripe_emulator.resources.common import apply_metadata, update_fields


def _check_discount(params: dict[str, Any]) -> None:
    """Exactly one of percent_off (0-100] and amount_off (positive, with a currency)."""
    percent_off: Decimal | None = params.get("percent_off")
    amount_off: int | None = params.get("amount_off")
    if (percent_off is None) == (amount_off is None):
        raise StripeError.invalid_param(
            "percent_off" if percent_off is not None else "amount_off",
            "You must pass exactly one of amount_off or percent_off.",
        )
    if percent_off is not None and not Decimal(0) < percent_off <= Decimal(100):
        raise StripeError.invalid_param(
            "percent_off", "Invalid percent_off: must be greater than 0 and at most 100."
        )
    if amount_off is not None:
        if amount_off <= 0:
            raise StripeError.below_minimum("amount_off")
        if "currency" not in params:
            raise StripeError.invalid_param(
                "currency", "You must pass currency when passing amount_off.", "parameter_missing"
            )
    if "currency" in params:
        check_currency(params["currency"])


def create(call: Call) -> dict[str, Any]:
    params = call.params
    _check_discount(params)
    percent_off: Decimal | None = params.get("percent_off")
    amount_off: int | None = params.get("amount_off")
    duration = params.get("duration", "once")
    if duration == "repeating" and "duration_in_months" not in params:
        raise StripeError.missing_parameter("duration_in_months")
    coupon_id = params.get("id") or ids.coupon_id()
    if coupon_id in call.account.objects["coupon"]:
        raise StripeError(400, "Coupon already exists.", code="resource_already_exists", param="id")
    coupon = {
        "id": coupon_id,
        "object": "coupon",
        "amount_off": amount_off,
        "created": call.now,
        "currency": params.get("currency"),
        "duration": duration,
        "duration_in_months": params.get("duration_in_months"),
        "livemode": False,
        "max_redemptions": params.get("max_redemptions"),
        "metadata": {},
        "name": params.get("name"),
        "percent_off": percent_off,
        "redeem_by": params.get("redeem_by"),
        "times_redeemed": 0,
        "valid": True,
    }
    # Left out unless given, as Stripe leaves them out (they are not nullable).
    coupon.update({k: params[k] for k in ("applies_to", "currency_options") if k in params})
    apply_metadata(coupon, params.get("metadata", {}))
    call.account.put(coupon)
    emit(call.state, call.account, "coupon.created", coupon)
    return coupon


def retrieve(call: Call) -> dict[str, Any]:
    return call.account.get("coupon", call.path["coupon"], "coupon")


def update(call: Call) -> dict[str, Any]:
    coupon = retrieve(call)
    previous = update_fields(coupon, call.params, ("name", "currency_options"))
    emit(call.state, call.account, "coupon.updated", coupon, previous)
    return coupon


def delete(call: Call) -> dict[str, Any]:
    coupon = retrieve(call)
    del call.account.objects["coupon"][coupon["id"]]
    emit(call.state, call.account, "coupon.deleted", coupon)
    return {"id": coupon["id"], "object": "coupon", "deleted": True}


def list_coupons(call: Call) -> dict[str, Any]:
    return list_objects(call, "coupon", "/v1/coupons")


ENDPOINTS = [
    Endpoint("POST", "/v1/coupons", create, CouponCreateParams),
    Endpoint("GET", "/v1/coupons", list_coupons, CouponListParams),
    Endpoint("GET", "/v1/coupons/{coupon}", retrieve, CouponRetrieveParams),
    Endpoint("POST", "/v1/coupons/{coupon}", update, CouponUpdateParams),
    Endpoint("DELETE", "/v1/coupons/{coupon}", delete, CouponDeleteParams),
]
