"""`manage.py sweep_abandoned`: remove what buyers left behind (README "Scheduled jobs")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from payments.sweep import sweep


class Command(BaseCommand):
    help = (
        "Delete unpaid orders older than UNPAID_ORDER_MAX_AGE_DAYS (canceling or expiring their "
        "open attempts at Stripe first), clear expired sessions, and delete webhook event rows "
        "older than WEBHOOK_EVENT_RETENTION_DAYS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep()
        for line in result.lines_to_print():
            self.stdout.write(line)
        if result.closed.failed:
            raise CommandError(
                f"{result.closed.failed} attempts could not be closed at Stripe; their orders "
                "stay until the next sweep. See the log."
            )
