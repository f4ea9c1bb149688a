"""Checkout line items: inline Prices and Products, the session's coupon, and the totals.

``line_item`` turns one ``line_items[i]`` parameter into a stored item (with the inactive inline
Price and Product Stripe makes for ``price_data``, or the stored Price ``price`` names);
``apply_totals`` computes the session and per-line amounts (``totals.py``) and keeps each
line's taxes and discounts for ``expand``.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stripe_emulator import ids, totals
from stripe_emulator.accounts import Account
from stripe_emulator.errors import StripeError
from stripe_emulator.expand import includable
from stripe_emulator.lists import paginate
from stripe_emulator.money import check_currency
from stripe_emulator.resources.prices import price_for_line


def _check_line(line: dict[str, Any], path: str) -> None:
    """One price or price_data, a quantity of at least one, no dynamic tax rates."""
    if "price" in line and "price_data" in line:
        raise StripeError.invalid_param(
            f"{path}[price]", f"You may only specify one of these parameters: {path}[price], "
            f"{path}[price_data].", "parameters_exclusive",
        )  # fmt: skip
    if line.get("price_data") is None and "price" not in line:
        raise StripeError.missing_parameter(f"{path}[price_data]")
    # Stripe's wording, observed (https://github.com/stripe/stripe-java/issues/1584).
    if "quantity" not in line:
        raise StripeError.invalid_param(
            f"{path}[quantity]",
            f"Quantity is required. Add `quantity` to `{path}`",
            "parameter_missing",
        )
    if line["quantity"] < 1:
        raise StripeError.below_minimum(f"{path}[quantity]")
    if line.get("dynamic_tax_rates"):
        raise StripeError.unsupported(f"{path}[dynamic_tax_rates]", "dynamic_tax_rates")


def _tax_rates(account: Account, line: dict[str, Any], path: str) -> list[dict[str, Any]]:
    """The line's tax rates: each must exist and be active."""
    rates = []
    for rate_index, rate_id in enumerate(line.get("tax_rates") or []):
        rate = account.objects["tax_rate"].get(rate_id)
        param = f"{path}[tax_rates][{rate_index}]"
        if rate is None:
            raise StripeError.not_found("tax_rate", rate_id, param, status=400)
        if not rate["active"]:
            raise StripeError.invalid_param(param, f"The tax rate {rate_id} is not active.")
        rates.append(rate)
    return rates


def _inline_price(account: Account, data: dict[str, Any], path: str, now: int) -> dict[str, Any]:
    """``price_data`` as Stripe stores it: an inactive one-time Price of a new Product."""
    check_currency(data["currency"], f"{path}[price_data][currency]")
    unit_amount = _unit_amount(data, path)
    product = _product(account, data, path, now)
    return account.put(
        {
            "id": ids.new_id("price"),
            "object": "price",
            "active": False,
            "billing_scheme": "per_unit",
            "created": now,
            "currency": data["currency"],
            "custom_unit_amount": None,
            "livemode": False,
            "lookup_key": None,
            "metadata": {},
            "nickname": None,
            "product": product["id"],
            "recurring": None,
            "tax_behavior": data.get("tax_behavior", "unspecified"),
            "tiers_mode": None,
            "transform_quantity": None,
            "type": "one_time",
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(data.get("unit_amount_decimal", unit_amount)),
        }
    )


def line_item(account: Account, line: dict[str, Any], index: int, now: int) -> dict[str, Any]:
    path = f"line_items[{index}]"
    _check_line(line, path)
    rates = _tax_rates(account, line, path)
    data = line.get("price_data")
    if data is None:
        price = price_for_line(account, line["price"], f"{path}[price]")
    else:
        price = _inline_price(account, data, path, now)
    product = account.objects["product"][price["product"]]
    return _item(line, price, product["name"], rates)


def _item(
    line: dict[str, Any], price: dict[str, Any], description: str, rates: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": ids.new_id("li"),
        "object": "item",
        "adjustable_quantity": None,
        "amount_discount": 0,
        "amount_subtotal": 0,
        "amount_tax": 0,
        "amount_total": 0,
        "currency": price["currency"],
        "description": description,
        "metadata": line.get("metadata", {}),
        "price": copy.deepcopy(price),
        "quantity": line["quantity"],
        "_tax_rates": rates,
    }


def _unit_amount(data: dict[str, Any], path: str) -> int:
    if "unit_amount" in data:
        amount: int = data["unit_amount"]
    elif "unit_amount_decimal" in data:
        # Fractions of a minor unit are rounded half-up per unit [?].
        amount = int(Decimal(data["unit_amount_decimal"]).quantize(Decimal(1), ROUND_HALF_UP))
    else:
        raise StripeError.missing_parameter(f"{path}[price_data][unit_amount]")
    if amount < 0:
        raise StripeError.invalid_param(
            f"{path}[price_data][unit_amount]",
            f"Invalid {path}[price_data][unit_amount]: must be at least 0.",
        )
    return amount


def _product(account: Account, data: dict[str, Any], path: str, now: int) -> dict[str, Any]:
    if "product" in data:
        param = f"{path}[price_data][product]"
        raise StripeError.not_found("product", data["product"], param, status=400)
    product_data = data.get("product_data")
    if product_data is None:
        raise StripeError.missing_parameter(f"{path}[price_data][product_data]")
    return account.put(
        {
            "id": ids.product_id(),
            "object": "product",
            "active": False,
            "created": now,
            "description": product_data.get("description"),
            "images": product_data.get("images", []),
            "livemode": False,
            "metadata": product_data.get("metadata", {}),
            "name": product_data["name"],
            "tax_code": product_data.get("tax_code"),
            "type": "service",
            "unit_label": product_data.get("unit_label"),
            "updated": now,
        }
    )


def session_coupon(account: Account, discount: dict[str, Any], currency: str) -> dict[str, Any]:
    if "coupon" not in discount:
        raise StripeError.unsupported("discounts[0][promotion_code]", "Promotion codes")
    coupon = account.objects["coupon"].get(discount["coupon"])
    if coupon is None:
        param = "discounts[0][coupon]"
        raise StripeError.not_found("coupon", discount["coupon"], param, status=400)
    if coupon["amount_off"] is not None and coupon["currency"] != currency:
        raise StripeError.invalid_param(
            "discounts[0][coupon]",
            f"The coupon {coupon['id']} is in {coupon['currency']}, but the Checkout Session "
            f"is in {currency}; an amount_off coupon must use the session currency.",
        )
    if (
        coupon["max_redemptions"] is not None
        and coupon["times_redeemed"] >= coupon["max_redemptions"]
    ):
        raise StripeError.invalid_param(
            "discounts[0][coupon]", f"Coupon {coupon['id']} has been fully redeemed."
        )
    return coupon


def _session_discount(
    session_id: str, coupon: dict[str, Any] | None, now: int
) -> dict[str, Any] | None:
    """The Discount object a coupon makes on a Checkout Session."""
    if coupon is None:
        return None
    return {
        "id": ids.new_id("di"),
        "object": "discount",
        "checkout_session": session_id,
        "customer": None,
        "customer_account": None,
        "end": None,
        "invoice": None,
        "invoice_item": None,
        "promotion_code": None,
        "source": {"coupon": coupon, "type": "coupon"},
        "start": now,
        "subscription": None,
        "subscription_item": None,
    }


def apply_totals(
    account: Account,
    session_id: str,
    items: list[dict[str, Any]],
    coupon: dict[str, Any] | None,
    now: int,
) -> totals.Totals:
    lines = [
        totals.Line(
            item["price"]["unit_amount"] * item["quantity"],
            tuple(
                totals.Rate(r["id"], r["percentage"], r["inclusive"]) for r in item["_tax_rates"]
            ),
        )
        for item in items
    ]
    applied = None
    if coupon is not None:
        applied = totals.Coupon(coupon["percent_off"], coupon["amount_off"])
    result = totals.compute(lines, applied)
    discount = _session_discount(session_id, coupon, now)
    rates = {r["id"]: r for item in items for r in item.pop("_tax_rates")}
    for item, line in zip(items, result.lines, strict=True):
        item.update(
            amount_subtotal=line.subtotal, amount_discount=line.discount, amount_tax=line.tax,
            amount_total=line.total,
        )  # fmt: skip
        item["_discounts"] = (
            [{"amount": line.discount, "discount": discount}] if discount is not None else []
        )
        item["_taxes"] = [
            {"amount": tax.amount, "rate": copy.deepcopy(rates[tax.rate.id]),
             "taxability_reason": None, "taxable_amount": tax.taxable_amount}
            for tax in line.taxes
        ]  # fmt: skip
    account.line_items[session_id] = items
    return result


def public_item(item: dict[str, Any], expand_all: bool = False) -> dict[str, Any]:
    """A line item as the API shows it; ``taxes``/``discounts`` are includable."""
    shown = {key: value for key, value in item.items() if not key.startswith("_")}
    if expand_all:
        shown.update(taxes=item["_taxes"], discounts=item["_discounts"])
    return shown


@includable("item", "taxes")
def _item_taxes(account: Account, item: dict[str, Any]) -> list[dict[str, Any]]:
    taxes: list[dict[str, Any]] = _stored_item(account, item)["_taxes"]
    return taxes


@includable("item", "discounts")
def _item_discounts(account: Account, item: dict[str, Any]) -> list[dict[str, Any]]:
    discounts: list[dict[str, Any]] = _stored_item(account, item)["_discounts"]
    return discounts


def _stored_item(account: Account, item: dict[str, Any]) -> dict[str, Any]:
    for items in account.line_items.values():
        for stored in items:
            if stored["id"] == item["id"]:
                return stored
    return {"_taxes": [], "_discounts": []}


@includable("checkout.session", "line_items")
def _session_line_items(account: Account, session: dict[str, Any]) -> dict[str, Any]:
    items = [public_item(item) for item in account.line_items[session["id"]]]
    return paginate(items, {}, f"/v1/checkout/sessions/{session['id']}/line_items", "item")


@includable("checkout.session", "total_details.breakdown")
def _breakdown(account: Account, session: dict[str, Any]) -> dict[str, Any]:
    items = account.line_items[session["id"]]
    taxes: dict[str, dict[str, Any]] = {}
    for item in items:
        for tax in item["_taxes"]:
            entry = taxes.setdefault(
                tax["rate"]["id"], {**copy.deepcopy(tax), "amount": 0, "taxable_amount": 0}
            )
            entry["amount"] += tax["amount"]
            entry["taxable_amount"] += tax["taxable_amount"]
    discounts = items[0]["_discounts"] if items else []
    total_discount = session["total_details"]["amount_discount"]
    return {
        "discounts": [{"amount": total_discount, "discount": d["discount"]} for d in discounts],
        "taxes": list(taxes.values()),
    }
