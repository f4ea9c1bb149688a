"""A system check for items the catalog leaves out: priced in a currency with no account.

It reads the database, so it is not tagged `database` (Django runs those only with
`--database`, and `manage.py check` must show it); a database that is not there or not migrated
yet (a fresh clone, `makemigrations`) has no items to report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError

from catalog.services import count_unsellable_items


def build_unsellable_items_message(counts: dict[str, int]) -> str:
    """One sentence naming each currency whose items are not for sale, and how many."""
    parts = ", ".join(f"{count} in {currency.upper()}" for currency, count in counts.items())
    return (
        f"Items left out of the catalog ({parts}): their currency has no Stripe account "
        "configured, so they cannot be paid."
    )


@register("catalog")
def check_items_payable(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    try:
        counts = count_unsellable_items()
    except DatabaseError:
        return []
    if not counts:
        return []
    return [
        Warning(
            build_unsellable_items_message(counts),
            hint="Add the currency to STRIPE_CURRENCIES with its keys, or reprice the items.",
            id="catalog.W001",
        )
    ]
