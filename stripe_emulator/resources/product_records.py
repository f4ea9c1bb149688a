"""How a Product is made, by ``POST /v1/products`` and by a Price's ``product_data``."""

from __future__ import annotations

from typing import Any

from stripe_emulator import ids
from stripe_emulator.accounts import Account
from stripe_emulator.errors import StripeError
from stripe_emulator.resources.common import merged_metadata


def new_product(account: Account, data: dict[str, Any], now: int) -> dict[str, Any]:
    """A stored Product from ``POST /v1/products`` or ``price``'s ``product_data``."""
    product_id = data.get("id") or ids.product_id()
    if product_id in account.objects["product"]:
        raise StripeError.invalid_param("id", "Product already exists.", "resource_already_exists")
    product = {
        "id": product_id,
        "object": "product",
        "active": data.get("active", True),
        "created": now,
        "default_price": None,
        "description": data.get("description"),
        "images": data.get("images", []),
        "livemode": False,
        "marketing_features": [{"name": f["name"]} for f in data.get("marketing_features", [])],
        "metadata": merged_metadata(None, data.get("metadata", {})),
        "name": data["name"],
        "package_dimensions": data.get("package_dimensions"),
        "shippable": data.get("shippable"),
        "statement_descriptor": data.get("statement_descriptor"),
        "tax_code": data.get("tax_code"),
        "tax_details": None,
        "type": data.get("type", "service"),
        "unit_label": data.get("unit_label"),
        "updated": now,
        "url": data.get("url"),
    }
    return account.put(product)
