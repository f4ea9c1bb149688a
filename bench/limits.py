"""`make bench`, the limits part: what 1,000 cookie-less `GET /buy/<id>` from one address leave
behind (rows, Stripe objects) and how many the rate limits refused. Run by `python -m bench`,
with the shop's default limits (RATE_LIMIT_PER_CLIENT, RATE_LIMIT_PER_STRIPE_ACCOUNT)."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

ANONYMOUS_BUYS = 1000


def _row_counts() -> dict[str, int]:
    from django.contrib.sessions.models import Session

    from catalog.models import Order, OrderLine
    from payments.models import Payment

    tables = {"orders": Order, "order lines": OrderLine, "sessions": Session, "payments": Payment}
    return {name: model._default_manager.count() for name, model in tables.items()}


def _checkout_sessions_created(emulator: Any) -> int:
    return sum(
        (r["method"], r["path"]) == ("POST", "/v1/checkout/sessions") for r in emulator.requests()
    )


def anonymous_buys(emulator: Any) -> None:
    """Print rows and Checkout Sessions made by ANONYMOUS_BUYS cookie-less /buy requests."""
    from django.conf import settings
    from django.test import Client

    from catalog.tests.factories import make_item

    item = make_item(name="Anonymous cup")
    rows_before, sessions_before = _row_counts(), _checkout_sessions_created(emulator)
    answers: Counter[str] = Counter()
    # Django logs each 429 as a warning; 970 of them would bury the figures.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    for _ in range(ANONYMOUS_BUYS):
        response = Client().get(f"/buy/{item.pk}")  # a new client: no cookie, same address
        if response.status_code != 429:
            answers[str(response.status_code)] += 1
        elif "busy" in response.json()["error"]:
            answers["429 (Stripe account ceiling)"] += 1
        else:
            answers["429 (per client)"] += 1
    rows = {name: count - rows_before[name] for name, count in _row_counts().items()}
    created = _checkout_sessions_created(emulator) - sessions_before
    print(
        f"{ANONYMOUS_BUYS:,} cookie-less GET /buy/<id> from one address (limits "
        f"{settings.RATE_LIMIT_PER_CLIENT} per client, {settings.RATE_LIMIT_PER_STRIPE_ACCOUNT} "
        f"per Stripe account): "
        + ", ".join(f"{count} answered {status}" for status, count in sorted(answers.items()))
    )
    print(
        "  created: "
        + ", ".join(f"{count} {name}" for name, count in rows.items())
        + f", {created} Checkout Sessions at Stripe"
    )
