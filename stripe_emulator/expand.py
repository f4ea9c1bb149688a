"""``expand[]``: replace ids by their objects and fill "includable" fields (https://docs.stripe.com/expand).

An id string is swapped for the stored object it names. Includable fields (absent unless
expanded, e.g. a Checkout Session's ``line_items``) are built by the resource that owns them,
registered in ``INCLUDABLE`` under (object type, dotted path inside that object).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from stripe_emulator.errors import StripeError

if TYPE_CHECKING:
    from stripe_emulator.accounts import Account

Builder = Callable[["Account", dict[str, Any]], Any]
INCLUDABLE: dict[tuple[str, str], Builder] = {}

MAX_DEPTH = 4


def includable(object_type: str, path: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        INCLUDABLE[(object_type, path)] = builder
        return builder

    return register


def expand(account: Account, obj: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    result = copy.deepcopy(obj)
    for path in paths:
        parts = path.split(".")
        # "data." on a list does not count as a level, as with Stripe.
        levels = parts[1:] if result.get("object") == "list" and parts[0] == "data" else parts
        if len(levels) > MAX_DEPTH:
            raise StripeError.invalid_param(
                "expand", "You cannot expand more than 4 levels of a property"
            )
        _expand(account, result, parts, result, "")
    return result


def _expand(
    account: Account, node: Any, parts: list[str], owner: dict[str, Any], inner: str
) -> None:
    if isinstance(node, list):
        for item in node:
            _expand(account, item, parts, owner, inner)
        return
    if not isinstance(node, dict) or not parts:
        return
    if "object" in node and node["object"] != "list":
        owner, inner = node, ""
    key, rest = parts[0], parts[1:]
    if node.get("object") == "list" and key == "data":
        _expand(account, node["data"], rest, owner, inner)
        return
    relative = f"{inner}.{key}" if inner else key
    builder = INCLUDABLE.get((owner.get("object", ""), relative))
    if builder is not None:
        node[key] = builder(account, owner)
    elif isinstance(node.get(key), str) and (found := account.find(node[key])) is not None:
        node[key] = copy.deepcopy(found)
    elif key not in node or (not rest and not isinstance(node[key], (dict, type(None)))):
        raise StripeError.invalid_param("expand", f"This property cannot be expanded ({relative}).")
    _expand(account, node.get(key), rest, owner, relative)
