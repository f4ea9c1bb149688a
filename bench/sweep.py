"""`make bench` part: anonymous `GET /buy/<id>`, then `sweep_abandoned` once their
ages have passed. Run from `python -m bench` after its setup (its database and emulator).

Prints what the requests made (rows, Checkout Sessions at Stripe), how many were refused, and
what the sweep left. Ages are passed by moving the rows' timestamps back, not by waiting.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from typing import Any

ANONYMOUS_BUYS = 1000


def _rows() -> Counter[str]:
    from django.contrib.sessions.models import Session

    from catalog.models import Order, OrderLine
    from payments.models import Payment

    models: list[Any] = [Order, OrderLine, Payment, Session]
    return Counter({model.__name__: model.objects.count() for model in models})


def _posts(emulator: Any, path: str) -> int:
    return sum((r["method"], r["path"]) == ("POST", path) for r in emulator.requests())


def _expires(emulator: Any) -> int:
    return sum(r["method"] == "POST" and r["path"].endswith("/expire") for r in emulator.requests())


def _age_past_the_limits(*, orders_after: int, sessions_before: set[str]) -> None:
    """Move the rows the requests made (only those) past the sweep's ages."""
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from catalog.models import Order
    from payments.models import Payment

    past = timezone.now() - timedelta(days=settings.UNPAID_ORDER_MAX_AGE_DAYS + 1)
    Order.objects.filter(pk__gt=orders_after).update(created_at=past)
    Payment.objects.filter(order_id__gt=orders_after).update(created_at=past)
    Session.objects.exclude(session_key__in=sessions_before).update(expire_date=past)


def anonymous_buys_and_sweep(emulator: Any, count: int = ANONYMOUS_BUYS) -> list[str]:
    """Make `count` cookie-less `GET /buy/<id>`, sweep past the ages; the lines to print."""
    from django.contrib.sessions.models import Session
    from django.db.models import Max
    from django.test import Client

    from catalog.models import Order
    from catalog.tests.factories import make_item
    from payments.sweep import sweep

    item = make_item(name="Bench kettle")
    baseline, stripe_before = _rows(), _posts(emulator, "/v1/checkout/sessions")
    orders_after = Order.objects.aggregate(last=Max("pk"))["last"] or 0
    sessions_before = set(Session.objects.values_list("session_key", flat=True))
    started = time.perf_counter()
    answers = Counter(Client().get(f"/buy/{item.pk}").status_code for _ in range(count))
    requests_took = time.perf_counter() - started
    created = _rows() - baseline
    made_at_stripe = _posts(emulator, "/v1/checkout/sessions") - stripe_before
    expires_before = _expires(emulator)
    _age_past_the_limits(orders_after=orders_after, sessions_before=sessions_before)
    started = time.perf_counter()
    sweep()
    sweep_took = time.perf_counter() - started
    left = {name: _rows()[name] - baseline[name] for name in baseline}
    return [
        f"{count} anonymous GET /buy/<id> ({requests_took:.1f} s): {answers[200]} answered,"
        f" {count - answers[200]} refused ({dict(answers)}); created "
        + ", ".join(f"{created[name]} {name}" for name in baseline)
        + f" rows and {made_at_stripe} Checkout Sessions at Stripe",
        f"sweep_abandoned past the ages ({sweep_took:.1f} s): {_expires(emulator) - expires_before}"
        " Checkout Sessions expired at Stripe; rows left above the baseline: "
        + ", ".join(f"{left[name]} {name}" for name in baseline),
    ]
