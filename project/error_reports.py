"""Error reports (the DEBUG page, error e-mails, logged reports) that never show a secret.

Django's `SafeExceptionReporterFilter` hides `sensitive_variables` and
`sensitive_post_parameters` only when DEBUG is off; a development server reached from outside,
or a DEBUG turned on to chase a production bug, would list the webhook secret among a
traceback's locals. This filter is always on, and also hides any local whose value contains
a configured secret: stripe-python's own frames (request options, headers) hold the API key
under names no decorator here can list.
"""

from __future__ import annotations

from collections.abc import ItemsView
from types import FrameType
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter


def list_configured_secrets() -> list[str]:
    """Every secret the settings hold: Django's key and each Stripe account's keys."""
    secrets = [settings.SECRET_KEY]
    for account in settings.STRIPE_ACCOUNTS.values():
        secrets += [account["secret_key"], account["webhook_secret"]]
    return [secret for secret in secrets if secret]


def _shows_a_secret(value: Any, secrets: list[str]) -> bool:
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not break the error report
        return True  # what it would print is unknown, so it is hidden
    return any(secret in text for secret in secrets)


class SecretsHiddenFilter(SafeExceptionReporterFilter):
    """DEFAULT_EXCEPTION_REPORTER_FILTER: Django's filter, in every mode, plus secret values."""

    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: FrameType
    ) -> ItemsView[str, Any]:
        secrets = list_configured_secrets()
        return {
            name: self.cleansed_substitute if _shows_a_secret(value, secrets) else value
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        }.items()
