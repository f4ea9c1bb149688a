"""PaymentIntent ``amount_details``: store and check
(https://docs.stripe.com/payments/payment-line-items).

Stripe adds the line data up as sum(unit_cost * quantity) - discount + tax + shipping and expects
the PaymentIntent ``amount``; discount and tax are given either once at the top or per line,
never both; every discount must be greater than 0.
"""

from __future__ import annotations

from typing import Any

from stripe_emulator import ids
from stripe_emulator.accounts import Account
from stripe_emulator.errors import StripeError
from stripe_emulator.expand import includable

EMPTY: dict[str, Any] = {"tip": {}}  # a PaymentIntent's amount_details when none were given


def stored_amount_details(
    details: dict[str, Any],
    current: dict[str, Any] | None,
    current_lines: list[dict[str, Any]] | None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The new ``amount_details`` object and line items after applying ``details``."""
    # Stripe leaves out what was never given (``{"tip": {}}`` for none at all).
    stored = dict(current or EMPTY)
    for name in ("discount_amount", "shipping", "tax"):
        if name in details:
            stored.pop(name, None)
            if details[name] != "":
                stored[name] = _shaped(name, details[name])
    lines = list(current_lines or [])
    if "line_items" in details:
        lines = [_line(item) for item in details["line_items"] or []]
    _check(stored, lines)
    return stored, lines


def _shaped(name: str, value: Any) -> Any:
    if name == "shipping":
        return {key: value.get(key) for key in ("amount", "from_postal_code", "to_postal_code")}
    if name == "tax":
        return {"total_tax_amount": value.get("total_tax_amount")}
    return value


def _line(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ids.new_id("uli"),
        "object": "payment_intent_amount_details_line_item",
        "discount_amount": item.get("discount_amount"),
        "payment_method_options": item.get("payment_method_options"),
        "product_code": item.get("product_code"),
        "product_name": item["product_name"],
        "quantity": item["quantity"],
        "tax": item.get("tax"),
        "unit_cost": item["unit_cost"],
        "unit_of_measure": item.get("unit_of_measure"),
    }


def _check(stored: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    prefix = "amount_details"
    discount = stored.get("discount_amount")
    if discount is not None and discount <= 0:  # "an integer greater than 0": omit it instead
        raise StripeError.below_minimum(f"{prefix}[discount_amount]")
    for index, line in enumerate(lines):
        path = f"{prefix}[line_items][{index}]"
        if line["discount_amount"] is not None and line["discount_amount"] <= 0:
            raise StripeError.below_minimum(f"{path}[discount_amount]")
        if line["quantity"] <= 0:
            raise StripeError.below_minimum(f"{path}[quantity]")
        if line["unit_cost"] < 0:
            raise StripeError.invalid_param(
                f"{path}[unit_cost]", f"Invalid {path}[unit_cost]: must be at least 0."
            )
        for name, top_level in (("discount_amount", "discount_amount"), ("tax", "tax")):
            if line[name] is not None and stored.get(top_level) is not None:
                raise StripeError.invalid_param(
                    f"{prefix}[{top_level}]",
                    f"You may only specify one of these parameters: {prefix}[{top_level}], "
                    f"{path}[{name}].",
                    "parameters_exclusive",
                )


def amount_details_error(
    amount: int, stored: dict[str, Any], lines: list[dict[str, Any]]
) -> dict[str, str] | None:
    """Stripe's arithmetic check; the ``amount_details.error`` object when it fails."""
    discount = stored.get("discount_amount") or sum(line["discount_amount"] or 0 for line in lines)
    tax = (stored.get("tax") or {}).get("total_tax_amount") or sum(
        (line["tax"] or {}).get("total_tax_amount", 0) for line in lines
    )
    shipping = (stored.get("shipping") or {}).get("amount") or 0
    if lines:
        expected = sum(line["unit_cost"] * line["quantity"] for line in lines)
        expected += tax + shipping - discount
        if expected != amount:
            return {
                "code": "amount_details_amount_mismatch",
                "message": (
                    f"The amount_details do not add up to the amount: line items "
                    f"({expected - tax - shipping + discount}) - discount ({discount}) + tax "
                    f"({tax}) + shipping ({shipping}) = {expected}, but amount is {amount}."
                ),
            }
    elif discount + tax + shipping > amount:
        return {
            "code": "amount_details_tax_shipping_discount_greater_than_amount",
            "message": (
                f"The sum of amount_details tax ({tax}), shipping ({shipping}) and discount "
                f"({discount}) is greater than the amount ({amount})."
            ),
        }
    return None


def apply_amount_details(
    intent: dict[str, Any], details: Any, current_lines: list[dict[str, Any]] | None
) -> list[dict[str, Any]] | None:
    """Apply ``amount_details`` (``""`` removes them) to ``intent`` and return its new line
    items (None: none). Everything is checked before ``intent`` changes; the caller stores
    the lines only once the whole request has passed (an update is all or nothing)."""
    if details == "":
        intent["amount_details"] = dict(EMPTY)
        return None
    stored, lines = stored_amount_details(details, intent.get("amount_details"), current_lines)
    problem = amount_details_error(intent["amount"], stored, lines)
    if problem is not None and details.get("enforce_arithmetic_validation", True):
        raise StripeError.invalid_param("amount_details", problem["message"], problem["code"])
    stored.pop("error", None)
    if problem is not None:
        stored["error"] = problem
    intent["amount_details"] = stored
    return lines


def store_lines(account: Account, intent_id: str, lines: list[dict[str, Any]] | None) -> None:
    if lines is None:
        account.line_items.pop(intent_id, None)
    else:
        account.line_items[intent_id] = lines


@includable("payment_intent", "amount_details.line_items")
def _amount_detail_lines(account: Account, intent: dict[str, Any]) -> dict[str, Any]:
    lines = account.line_items.get(intent["id"], [])
    url = f"/v1/payment_intents/{intent['id']}/amount_details_line_items"
    return {"object": "list", "data": lines, "has_more": False, "url": url}


def as_params(details: dict[str, Any]) -> dict[str, Any]:
    """Stored details as update parameters, to re-check them against a new amount."""
    kept = {k: v for k, v in details.items() if k in ("discount_amount", "tax", "shipping")}
    enforce = details.get("error") is None
    return {**{k: v for k, v in kept.items() if v is not None},
            "enforce_arithmetic_validation": enforce}  # fmt: skip
