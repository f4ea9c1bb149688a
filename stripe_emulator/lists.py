"""List responses: ``{"object": "list", "data", "has_more", "url"}``, newest first (https://docs.stripe.com/api/pagination)."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from stripe_emulator.errors import StripeError

if TYPE_CHECKING:
    from stripe_emulator.endpoint import Call


def list_objects(call: Call, kind: str, url: str, filters: Iterable[str] = ()) -> dict[str, Any]:
    """A list endpoint: the account's ``kind`` objects, newest first, filtered by ``created``
    and by equality on each of ``filters`` that the call gives, then paginated.

    The collection is walked lazily, newest first, and never copied: a first page costs
    ``limit`` objects however many the account holds (more only when filters skip some)."""
    keep = created_filter(call.params)
    wanted = {name: call.params[name] for name in filters if name in call.params}
    items = (
        obj
        for obj in call.account.newest_first(kind)
        if keep(obj) and all(obj.get(name) == value for name, value in wanted.items())
    )
    return paginate(items, call.params, url, kind)


def paginate(
    items: Iterable[dict[str, Any]], params: dict[str, Any], url: str, kind: str = "object"
) -> dict[str, Any]:
    """Slice ``items`` (already newest first, possibly a lazy iterator) by ``limit``,
    ``starting_after`` or ``ending_before``, reading no further than the page needs."""
    limit = params.get("limit", 10)
    if not 1 <= limit <= 100:
        raise StripeError.invalid_param(
            "limit", f"Invalid limit: must be between 1 and 100 (got {limit})"
        )
    iterator = iter(items)
    if params.get("starting_after"):
        cursor = params["starting_after"]
        if not any(item["id"] == cursor for item in iterator):
            raise StripeError.not_found(kind, cursor, "starting_after", status=400)
        window = list(itertools.islice(iterator, limit + 1))
        page, has_more = window[:limit], len(window) > limit
    elif params.get("ending_before"):
        cursor = params["ending_before"]
        before: deque[dict[str, Any]] = deque(maxlen=limit + 1)
        for item in iterator:
            if item["id"] == cursor:
                break
            before.append(item)
        else:
            raise StripeError.not_found(kind, cursor, "ending_before", status=400)
        window = list(before)
        page, has_more = window[-limit:], len(window) > limit
    else:
        window = list(itertools.islice(iterator, limit + 1))
        page, has_more = window[:limit], len(window) > limit
    return {"object": "list", "data": page, "has_more": has_more, "url": url}


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
