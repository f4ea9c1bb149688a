"""`manage.py reconcile_payments`: make up for missed webhooks (README "Scheduled jobs")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from payments.reconcile import compute_abandon_cutoff, list_payments_to_check, reconcile


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date or date and time (UTC unless it says otherwise)."""
    parsed = parse_datetime(text)
    if parsed is None and (day := parse_date(text)) is not None:
        parsed = datetime(day.year, day.month, day.day)
    if parsed is None:
        raise ValueError(text)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


class Command(BaseCommand):
    help = (
        "Ask Stripe about every payment that is not final and record what it says, as its "
        "webhook would; cancel or expire attempts open longer than "
        "PAYMENT_ATTEMPT_MAX_AGE_HOURS. Prints one line per change and a summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--order", type=int, help="Only the payments of this order.")
        parser.add_argument(
            "--since", type=parse_moment, help="Only payments made at or after this (ISO 8601)."
        )
        parser.add_argument("--until", type=parse_moment, help="Only payments made before this.")
        parser.add_argument(
            "--no-close",
            action="store_true",
            help="Only record what Stripe says; close no abandoned attempt.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        payments = list_payments_to_check(
            order_id=options["order"], since=options["since"], until=options["until"]
        )
        outcome = reconcile(
            payments, abandon_before=None if options["no_close"] else compute_abandon_cutoff()
        )
        for change in outcome.changes:
            self.stdout.write(str(change))
        self.stdout.write(outcome.summary())
        if outcome.failed:
            # A non-zero exit, so the scheduler's log shows the run as failed.
            raise CommandError(f"{outcome.failed} payments could not be checked; see the log.")
