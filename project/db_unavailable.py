"""No database connection to be had: a 503 with Retry-After, never a 500.

A request takes its database connection here, before any view or later middleware runs, so a
connection that can't be had (the pool empty past DATABASE_POOL_TIMEOUT, the server's
connection limit reached, the server down) is met in this one place: JSON `{"error": …}` for
the JSON endpoints, a page otherwise, both telling the client when to come back. Nothing has
been read or written, so a retry is always safe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, get_resolver, resolve
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Long enough for a burst to drain (a payment request holds its connection for one Stripe
# call), short enough that a buyer's retry comes soon.
RETRY_AFTER_SECONDS = 5

# Endpoints whose clients read JSON (the card form's fetch, `/buy/<id>`, Stripe's webhook).
JSON_VIEWS = frozenset(
    {
        "payments:order_payment_intent",
        "payments:item_payment_intent",
        "payments:webhook",
        "payments:buy_item",
        "payments:buy_order",
    }
)

# /healthz reports the database itself, in its own format.
EXEMPT_VIEWS = frozenset({"healthz"})


@cache
def _exempt_paths() -> frozenset[str]:
    """The paths of EXEMPT_VIEWS, found once: resolving every request's path to its view name
    was a measurable share of a page's cost, and only these paths are exempt. Compared with
    `path_info`, so without any SCRIPT_NAME prefix (the resolver's own reverse adds none)."""
    return frozenset("/" + get_resolver().reverse(name) for name in EXEMPT_VIEWS)


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def build_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 for a request that could not get a database connection."""
    message = _("The shop is busy right now and nothing was charged. Please try again shortly.")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json or _view_name(request) in JSON_VIEWS:
        return JsonResponse({"error": message}, status=503, headers=headers)
    page = render_to_string("503.html", {"message": message, "retry_after": RETRY_AFTER_SECONDS})
    return HttpResponse(page, status=503, headers=headers)


class DatabaseUnavailableMiddleware:
    """Take the request's connection first; answer 503 with Retry-After if there is none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in _exempt_paths():
            try:
                connection.ensure_connection()
            except DatabaseError as error:
                logger.warning("No database connection for %s: %s", request.path, error)
                return build_unavailable_response(request)
        return self.get_response(request)
