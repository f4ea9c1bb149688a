"""Prices: create, retrieve, list; and the lookup Checkout's ``line_items[][price]`` uses.

Only per-unit prices are emulated (one-time and recurring); tiers, custom unit amounts,
``currency_options`` and ``transform_quantity`` are refused with a 400 naming them.

Choices where Stripe's reference leaves room ([?]):
- Exactly one of ``product`` and ``product_data``; wording ours.
- ``unit_amount_decimal`` with fractions of a minor unit is stored as given; Checkout charges it
  rounded half-up per unit (as its ``price_data`` does).
- A ``lookup_key`` already used by another Price is a 400 unless ``transfer_lookup_key=true``,
  which moves it to the new Price.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stripe.params import PriceCreateParams, PriceListParams, PriceRetrieveParams

from stripe_emulator import ids
from stripe_emulator.accounts import Account
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.events import emit
from stripe_emulator.lists import list_objects
from stripe_emulator.money import check_currency
from stripe_emulator.resources.common import merged_metadata
from stripe_emulator.resources.product_records import new_product

UNSUPPORTED = ("currency_options", "custom_unit_amount", "tiers", "tiers_mode",
               "transform_quantity")  # fmt: skip


def check_price_data(data: dict[str, Any], prefix: str = "") -> None:
    """What a new Price needs: a known currency and a per-unit amount of at least 0."""
    path = (lambda name: f"{prefix}[{name}]") if prefix else (lambda name: name)
    for name in UNSUPPORTED:
        if name in data:
            raise StripeError.unsupported(path(name))
    if data.get("billing_scheme", "per_unit") != "per_unit":
        raise StripeError.unsupported(path("billing_scheme"), "tiered prices")
    check_currency(data["currency"], path("currency"))
    if "unit_amount" not in data and "unit_amount_decimal" not in data:
        raise StripeError.missing_parameter(path("unit_amount"))
    name = "unit_amount" if "unit_amount" in data else "unit_amount_decimal"
    if data[name] < 0:
        raise StripeError.invalid_param(path(name), f"Invalid {path(name)}: must be at least 0.")


def new_price(account: Account, data: dict[str, Any], product_id: str, now: int) -> dict[str, Any]:
    """A stored Price of ``product_id`` from checked ``data`` (``check_price_data``)."""
    decimal = Decimal(data.get("unit_amount_decimal", data.get("unit_amount", 0)))
    recurring = data.get("recurring")
    price = {
        "id": ids.new_id("price"),
        "object": "price",
        "active": data.get("active", True),
        "billing_scheme": "per_unit",
        "created": now,
        "currency": data["currency"],
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": data.get("lookup_key"),
        "metadata": merged_metadata(None, data.get("metadata", {})),
        "nickname": data.get("nickname"),
        "product": product_id,
        "recurring": None if recurring is None else _recurring(recurring),
        "tax_behavior": data.get("tax_behavior", "unspecified"),
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "one_time" if recurring is None else "recurring",
        "unit_amount": int(decimal.quantize(Decimal(1), ROUND_HALF_UP)),
        "unit_amount_decimal": str(decimal),  # Stripe sends the decimal as a string
    }
    return account.put(price)


def _recurring(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "interval": data["interval"],
        "interval_count": data.get("interval_count", 1),
        "meter": data.get("meter"),
        "trial_period_days": data.get("trial_period_days"),
        "usage_type": data.get("usage_type", "licensed"),
    }


def create(call: Call) -> dict[str, Any]:
    params = call.params
    if ("product" in params) == ("product_data" in params):
        raise StripeError.invalid_param(
            "product", "You must specify exactly one of `product` or `product_data`."
        )
    check_price_data(params)
    _claim_lookup_key(call.account, params)
    product = params.get("product")
    if product is None:
        made = new_product(call.account, params["product_data"], call.now)
        emit(call.state, call.account, "product.created", made)
        product = made["id"]
    elif product not in call.account.objects["product"]:
        raise StripeError.not_found("product", product, "product", status=400)
    price = new_price(call.account, params, product, call.now)
    emit(call.state, call.account, "price.created", price)
    return price


def _claim_lookup_key(account: Account, params: dict[str, Any]) -> None:
    key = params.get("lookup_key")
    if key is None:
        return
    for price in account.objects["price"].values():
        if price["lookup_key"] == key:
            if not params.get("transfer_lookup_key"):
                raise StripeError.invalid_param(
                    "lookup_key",
                    f"A price ({price['id']}) already uses that lookup key.",
                )
            price["lookup_key"] = None


def retrieve(call: Call) -> dict[str, Any]:
    return call.account.get("price", call.path["price"], "price")


def list_prices(call: Call) -> dict[str, Any]:
    for name in ("lookup_keys", "recurring"):
        if name in call.params:
            raise StripeError.unsupported(name)
    return list_objects(call, "price", "/v1/prices", ("active", "currency", "product", "type"))


def price_for_line(account: Account, price_id: str, param: str) -> dict[str, Any]:
    """The Price a Checkout line names: it must exist, be active and be one-time (payment
    mode is the only Checkout mode emulated)."""
    price = account.objects["price"].get(price_id)
    if price is None:
        raise StripeError.not_found("price", price_id, param, status=400)
    if not price["active"]:
        raise StripeError.invalid_param(
            param, f"The price specified ({price_id}) is inactive. This field only accepts "
            "active prices."
        )  # fmt: skip
    if price["type"] == "recurring":
        raise StripeError.invalid_param(
            param, "You specified `payment` mode but passed a recurring price. Either switch "
            "to `subscription` mode or use only one-time prices."
        )  # fmt: skip
    return price


ENDPOINTS = [
    Endpoint("POST", "/v1/prices", create, PriceCreateParams),
    Endpoint("GET", "/v1/prices", list_prices, PriceListParams),
    Endpoint("GET", "/v1/prices/{price}", retrieve, PriceRetrieveParams),
]
