"""Products: create, retrieve, list (the catalogue Prices belong to).

Choices where Stripe's reference leaves room ([?]):
- A custom ``id`` already in use is a 400 ``resource_already_exists``, "Product already exists."
- ``default_price_data`` makes a one-time or recurring Price (as ``POST /v1/prices`` would) and
  names it in ``default_price``; ``product.created`` comes before ``price.created``.
- ``tax_details`` is refused ("The Stripe emulator does not support …"): Stripe Tax is not
  emulated.
"""

from __future__ import annotations

from typing import Any

from stripe.params import ProductCreateParams, ProductListParams, ProductRetrieveParams

from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.events import emit
from stripe_emulator.lists import list_objects
from stripe_emulator.resources import prices
from stripe_emulator.resources.common import check_url
from stripe_emulator.resources.product_records import new_product


def create(call: Call) -> dict[str, Any]:
    params = call.params
    if "tax_details" in params:
        raise StripeError.unsupported("tax_details", "Stripe Tax (`tax_details`)")
    check_url(params, "url")
    price_data = params.get("default_price_data")
    if price_data is not None:
        prices.check_price_data(price_data, "default_price_data")
    product = new_product(call.account, params, call.now)
    emit(call.state, call.account, "product.created", product)
    if price_data is not None:
        price = prices.new_price(call.account, price_data, product["id"], call.now)
        product["default_price"] = price["id"]
        emit(call.state, call.account, "price.created", price)
    return product


def retrieve(call: Call) -> dict[str, Any]:
    return call.account.get("product", call.path["id"], "id")


def list_products(call: Call) -> dict[str, Any]:
    if "ids" in call.params:
        raise StripeError.unsupported("ids")
    return list_objects(call, "product", "/v1/products", ("active", "shippable", "type", "url"))


ENDPOINTS = [
    Endpoint("POST", "/v1/products", create, ProductCreateParams),
    Endpoint("GET", "/v1/products", list_products, ProductListParams),
    Endpoint("GET", "/v1/products/{id}", retrieve, ProductRetrieveParams),
]
