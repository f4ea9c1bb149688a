"""Tax Rates: create, retrieve, update, list (no delete; archive with ``active=false``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stripe.params import (
    TaxRateCreateParams,
    TaxRateListParams,
    TaxRateRetrieveParams,
    TaxRateUpdateParams,
)

from stripe_emulator import ids
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.events import emit
from stripe_emulator.lists import list_objects
from stripe_emulator.resources.common import apply_metadata, update_fields

UPDATABLE = ("active", "country", "description", "display_name", "jurisdiction", "state",
             "tax_type")  # fmt: skip


def create(call: Call) -> dict[str, Any]:
    params = call.params
    percentage: Decimal = params["percentage"]
    if not Decimal(0) <= percentage <= Decimal(100):
        raise StripeError.invalid_param(
            "percentage", "Invalid percentage: must be between 0 and 100."
        )
    rate = {
        "id": ids.new_id("txr"),
        "object": "tax_rate",
        "active": params.get("active", True),
        "country": params.get("country"),
        "created": call.now,
        "description": params.get("description"),
        "display_name": params["display_name"],
        "effective_percentage": percentage,
        "flat_amount": None,
        "inclusive": params["inclusive"],
        "jurisdiction": params.get("jurisdiction"),
        "jurisdiction_level": None,
        "livemode": False,
        "metadata": {},
        "percentage": percentage,
        "rate_type": "percentage",
        "state": params.get("state"),
        "tax_type": params.get("tax_type"),
    }
    apply_metadata(rate, params.get("metadata", {}))
    call.account.put(rate)
    emit(call.state, call.account, "tax_rate.created", rate)
    return rate


def retrieve(call: Call) -> dict[str, Any]:
    return call.account.get("tax_rate", call.path["tax_rate"], "tax_rate")


def update(call: Call) -> dict[str, Any]:
    rate = retrieve(call)
    previous = update_fields(rate, call.params, UPDATABLE)
    emit(call.state, call.account, "tax_rate.updated", rate, previous)
    return rate


def list_rates(call: Call) -> dict[str, Any]:
    return list_objects(call, "tax_rate", "/v1/tax_rates", ("active", "inclusive"))


ENDPOINTS = [
    Endpoint("POST", "/v1/tax_rates", create, TaxRateCreateParams),
    Endpoint("GET", "/v1/tax_rates", list_rates, TaxRateListParams),
    Endpoint("GET", "/v1/tax_rates/{tax_rate}", retrieve, TaxRateRetrieveParams),
    Endpoint("POST", "/v1/tax_rates/{tax_rate}", update, TaxRateUpdateParams),
]
