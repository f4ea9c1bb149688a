"""Small rules shared by several resources."""

from __future__ import annotations

from typing import Any


def apply_metadata(obj: dict[str, Any], value: Any) -> None:
    """Stripe's metadata update: ``""`` clears all, ``metadata[k]=""`` removes one key."""
    if value == "":
        obj["metadata"] = {}
        return
    merged = dict(obj.get("metadata") or {})
    for key, item in value.items():
        if item == "":
            merged.pop(key, None)
        else:
            merged[key] = item
    obj["metadata"] = merged


def blank_to_none(value: Any) -> Any:
    """Posting an empty string unsets a scalar field."""
    return None if value == "" else value
