"""Project-level views that belong to no app."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from project.db_unavailable import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Logged with the cause for operators; the probe itself only needs the verdict.
        logger.exception("Health check: the database did not answer")
        return JsonResponse(
            {"status": "error", "database": "unavailable"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a 403 the buyer can read, in the page's language.

    The card form's fetch asks for JSON and shows `error` next to the form; a browser
    submitting a form gets a page. `reason` is Django's English diagnosis, logged only.
    """
    logger.warning("CSRF check failed for %s %s: %s", request.method, request.path, reason)
    message = _(
        "This page has expired, so nothing was sent and nothing was charged."
        " Reload the page and try again."
    )
    accept = request.headers.get("Accept", "")
    if "application/json" in accept or request.content_type == "application/json":
        return JsonResponse({"error": message}, status=403)
    return render(request, "403_csrf.html", {"message": message}, status=403)
