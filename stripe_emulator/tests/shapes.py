"""Check responses against the JSON schemas generated from stripe-node's types
(``stripe_emulator/schemas/``): required fields present, no field Stripe does not send, enums
within their values. The schema of a body is found from its own ``object`` (and an event's
``type``); a list is checked as a list and each of its items as what it is."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, ValidationError

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "stripe-api-schemas.json"


@cache
def _definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = json.loads(SCHEMAS.read_text())["definitions"]
    return definitions


@cache
def _validator(name: str) -> Draft7Validator:
    return Draft7Validator({"$ref": f"#/definitions/{name}", "definitions": _definitions()})


@cache
def error_codes() -> frozenset[str]:
    """Stripe's error codes, as the published types enumerate them: those of a PaymentIntent's
    ``last_payment_error`` (Stripe's whole list) and of its ``amount_details.error`` (the
    arithmetic check, which answers a 400 when enforced)."""
    definitions = _definitions()
    codes = (
        definitions["PaymentIntent.LastPaymentError"]["properties"]["code"],
        definitions["PaymentIntent.AmountDetails.Error"]["properties"]["code"],
    )
    return frozenset(
        value for code in codes for option in code["anyOf"] for value in option.get("enum", ())
    )


def schema_name(body: dict[str, Any]) -> str:
    if "error" in body:
        return "Stripe_error"
    kind = str(body.get("object"))
    if kind == "event":
        kind = f"event.{body.get('type')}"
    elif body.get("deleted") is True:
        kind += "_deleted"
    return "Stripe_" + kind.replace(".", "_")


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors under an ``anyOf`` (``X | null`` in the types), not just "no branch fits"."""
    if not error.context:
        return [error]
    branches = [e for e in error.context if e.validator != "type" or "null" not in str(e.message)]
    return [leaf for branch in branches for leaf in _leaves(branch)] or [error]


def problems(body: Any, where: str = "") -> list[str]:
    """What in ``body`` breaks its schema, one line each (empty when it validates)."""
    if not isinstance(body, dict):
        return [f"{where}: not a JSON object"]
    name = schema_name(body)
    if name not in _definitions():
        return [f"{where}: no schema for {name}"]
    found = [
        f"{where}{'/'.join(str(part) for part in leaf.absolute_path)}: {leaf.message[:300]}"
        for error in _validator(name).iter_errors(body)
        for leaf in _leaves(error)
    ]
    code = body.get("error", {}).get("code") if isinstance(body.get("error"), dict) else None
    if code is not None and code not in error_codes():
        found.append(f"{where}error/code: {code!r} is not one of Stripe's error codes")
    if body.get("object") == "list":
        for index, item in enumerate(body.get("data", [])):
            found += problems(item, f"{where}data/{index}/")
    return found
