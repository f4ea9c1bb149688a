"""List responses: ``{"object": "list", "data", "has_more", "url"}``, newest first (spec §2.7)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from stripe_emulator.errors import StripeError

if TYPE_CHECKING:
    from stripe_emulator.endpoint import Call


def list_objects(call: Call, kind: str, url: str, filters: Iterable[str] = ()) -> dict[str, Any]:
    """A list endpoint: the account's ``kind`` objects, newest first, filtered by ``created``
    and by equality on each of ``filters`` that the call gives, then paginated."""
    keep = created_filter(call.params)
    wanted = {name: call.params[name] for name in filters if name in call.params}
    items = [
        obj
        for obj in call.account.newest_first(kind)
        if keep(obj) and all(obj.get(name) == value for name, value in wanted.items())
    ]
    return paginate(items, call.params, url, kind)


def paginate(
    items: list[dict[str, Any]], params: dict[str, Any], url: str, kind: str = "object"
) -> dict[str, Any]:
    """Slice ``items`` (already newest first) by ``limit``/``starting_after``/``ending_before``."""
    limit = params.get("limit", 10)
    if not 1 <= limit <= 100:
        raise StripeError.invalid_param(
            "limit", f"Invalid limit: must be between 1 and 100 (got {limit})"
        )
    position = {item["id"]: index for index, item in enumerate(items)}
    if params.get("starting_after"):
        start = _cursor(position, params["starting_after"], "starting_after", kind) + 1
        page = items[start : start + limit]
        has_more = start + limit < len(items)
    elif params.get("ending_before"):
        end = _cursor(position, params["ending_before"], "ending_before", kind)
        page = items[max(end - limit, 0) : end]
        has_more = end - limit > 0
    else:
        page, has_more = items[:limit], len(items) > limit
    return {"object": "list", "data": page, "has_more": has_more, "url": url}


def _cursor(position: dict[str, int], object_id: str, param: str, kind: str) -> int:
    if object_id not in position:
        raise StripeError.not_found(kind, object_id, param, status=400)
    return position[object_id]


def created_filter(params: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """``created`` as an exact timestamp or a ``{gt, gte, lt, lte}`` range."""
    created = params.get("created")
    if created is None:
        return lambda item: True
    if isinstance(created, int):
        return lambda item: bool(item["created"] == created)
    checks = {
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
    }
    return lambda item: all(checks[op](item["created"], bound) for op, bound in created.items())
