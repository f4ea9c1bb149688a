"""Events: retrieve and list (``type`` with ``*`` wildcards, ``types[]``, ``created``)."""

from __future__ import annotations

import fnmatch
from typing import Any

from stripe.params import EventListParams, EventRetrieveParams

from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.lists import created_filter, paginate


def retrieve(call: Call) -> dict[str, Any]:
    return call.account.get("event", call.path["id"], "id")


def list_events(call: Call) -> dict[str, Any]:
    params = call.params
    if "type" in params and "types" in params:
        raise StripeError.invalid_param(
            "types", "You may only specify one of these parameters: type, types.",
            "parameters_exclusive",
        )  # fmt: skip
    patterns = params.get("types") or ([params["type"]] if "type" in params else ["*"])
    keep = created_filter(params)
    delivered = params.get("delivery_success")
    items = (
        event
        for event in call.account.newest_first("event")
        if keep(event)
        and any(fnmatch.fnmatchcase(event["type"], pattern) for pattern in patterns)
        and (delivered is None or (event["pending_webhooks"] == 0) == delivered)
    )
    return paginate(items, params, "/v1/events", "event")


ENDPOINTS = [
    Endpoint("GET", "/v1/events", list_events, EventListParams),
    Endpoint("GET", "/v1/events/{id}", retrieve, EventRetrieveParams),
]
