"""Decode Stripe's form encoding (``a[b][0][c]=v``, ``a[]=v``) into a nested tree.

Values stay strings; ``params.coerce`` types them. Indexed lists come out as dicts keyed by the
index strings and are turned into ordered lists once the schema says the field is a list, which
also accepts non-contiguous indices. ``a[]=v`` appends to a real list.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from stripe_emulator.errors import StripeError

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")


def decode_form(*encoded: str) -> dict[str, Any]:
    """Merge several encoded strings (query string, then body) into one parameter tree."""
    tree: dict[str, Any] = {}
    for text in encoded:
        for key, value in parse_qsl(text, keep_blank_values=True):
            _insert(tree, key, value)
    return tree


def _insert(tree: dict[str, Any], key: str, value: str) -> None:
    match = _KEY.match(key)
    if match is None:
        raise StripeError.invalid_param(key, f"Invalid parameter name: {key}")
    parts = [match.group(1), *_PART.findall(match.group(2))]
    node: Any = tree
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        following = None if last else parts[index + 1]
        if isinstance(node, list):
            # ``a[][b]=`` builds a list of hashes: a repeated key starts a new element.
            if last:
                node.append(value)
                return
            if not node or not isinstance(node[-1], dict) or following in node[-1]:
                node.append({} if following != "" else [])
            node = node[-1]
            continue
        if part == "":
            raise StripeError.invalid_param(key, f"Invalid parameter name: {key}")
        if last:
            node[part] = value
            return
        if part not in node or not isinstance(node[part], (dict, list)):
            node[part] = [] if following == "" else {}
        node = node[part]


def _json_default(value: object) -> object:
    # Decimal fields (percent_off, percentage) are JSON numbers in Stripe's responses.
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else float(value)
        )
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(obj: object, *, indent: int | None = None) -> str:
    """Stripe's JSON: Decimals as numbers."""
    return json.dumps(obj, default=_json_default, indent=indent)
