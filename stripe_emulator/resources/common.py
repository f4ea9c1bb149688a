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


def update_fields(
    obj: dict[str, Any], params: dict[str, Any], names: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Apply an update call's ``names`` (``""`` unsets) and ``metadata`` to ``obj``.

    Returns the previous values of what changed, for the event's ``previous_attributes``.
    """
    previous: dict[str, Any] = {}
    for name in names:
        if name in params and blank_to_none(params[name]) != obj[name]:
            previous[name] = obj[name]
            obj[name] = blank_to_none(params[name])
    if "metadata" in params:
        previous["metadata"] = dict(obj["metadata"])
        apply_metadata(obj, params["metadata"])
    return previous


def blank_to_none(value: Any) -> Any:
    """Posting an empty string unsets a scalar field."""
    return None if value == "" else value
