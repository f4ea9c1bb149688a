"""System checks for the scheduled jobs' ages (README "Scheduled jobs"): values that would close
a buyer's attempt while it may still be paid, or handle a redelivered event twice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

# Stripe retries a webhook delivery for up to three days: an event row dropped sooner lets a
# late redelivery be handled a second time.
STRIPE_RETRY_DAYS = 3


@register(Tags.compatibility)
def check_schedule_ages(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    attempt_hours = settings.PAYMENT_ATTEMPT_MAX_AGE_HOURS
    if attempt_hours < 1 or attempt_hours > settings.UNPAID_ORDER_MAX_AGE_DAYS * 24:
        messages.append(
            Warning(
                "PAYMENT_ATTEMPT_MAX_AGE_HOURS must be at least 1 and UNPAID_ORDER_MAX_AGE_DAYS"
                " at least as long, or a buyer's open payment page may be closed under them.",
                hint="Keep the defaults (24 hours, 14 days) unless you know why.",
                id="payments.W020",
            )
        )
    if settings.WEBHOOK_EVENT_RETENTION_DAYS < STRIPE_RETRY_DAYS:
        messages.append(
            Warning(
                f"WEBHOOK_EVENT_RETENTION_DAYS is under {STRIPE_RETRY_DAYS}: Stripe retries a"
                " delivery for 3 days, and a redelivered event whose row is gone is handled"
                " again.",
                hint="Set it to 3 or more (default 30).",
                id="payments.W021",
            )
        )
    return messages
