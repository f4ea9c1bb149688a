"""`python -m bench`'s setup and its in-process parts: Django pointed at the bench database and
the emulator, the query counts, and PaymentIntents per reloads (Django's test client)."""

from __future__ import annotations

import os
import warnings
from typing import Any

from bench.config import ACCOUNTS, NO_RATE_LIMITS, WEBHOOK_SECRET


def setup_django(database_url: str, emulator_url: str) -> None:
    """Configure Django for the bench database and the emulator; migrate and empty it."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    # Pages are served from the source tree (no collectstatic) and Stripe's request log is noise.
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # Whitenoise warns that staticfiles/ is missing (pages are served from the source tree).
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STRIPE_API_BASE = emulator_url
    settings.STRIPE_CURRENCIES = list(ACCOUNTS)
    settings.STRIPE_ACCOUNTS = {
        currency: {
            "secret_key": keys.secret_key,
            "publishable_key": keys.publishable_key,
            "webhook_secret": keys.webhook_secret,
        }
        for currency, keys in ACCOUNTS.items()
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def query_counts() -> dict[str, int]:
    """Queries of one item page, one order page, one PaymentIntent create, one webhook
    delivery and its redelivery, for the buyer whose session exists."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.rows import intents_of
    from bench.signing import signature_header, succeeded_event
    from catalog.tests.factories import BUYER_SESSION_KEY, make_item, make_order

    item = make_item(name="Bench cup")
    order = make_order(lines=[(item, 2), (make_item(name="Bench pot", price="9.99"), 1)])
    client = Client()
    client.cookies["sessionid"] = BUYER_SESSION_KEY  # the buyer who placed the order
    client.get(f"/item/{item.pk}")  # the session and CSRF cookie exist from here on
    requests: dict[str, Any] = {
        "item page": lambda: client.get(f"/item/{item.pk}"),
        "order page": lambda: client.get(f"/order/{order.pk}"),
        "PaymentIntent create": lambda: client.post(f"/order/{order.pk}/payment-intent"),
    }
    counts = {}
    with override_settings(**NO_RATE_LIMITS):
        for name, request in requests.items():
            with CaptureQueriesContext(connection) as queries:
                assert request().status_code == 200, name
            counts[name] = len(queries)
    body = succeeded_event("evt_benchqueries", **intents_of([order.pk])[0])
    for name in ("webhook delivery", "its redelivery"):
        with CaptureQueriesContext(connection) as queries:
            answer = client.post(
                "/payments/webhook/usd/",
                body,
                content_type="application/json",
                headers={"Stripe-Signature": signature_header(body, WEBHOOK_SECRET)},
            )
            assert answer.status_code == 200, name
        counts[name] = len(queries)
    return counts


def creations_per_reloads(emulator: Any, reloads: int) -> int:
    """PaymentIntents created for `reloads` reloads of one order page, each clicking Pay."""
    from django.test import Client, override_settings

    from catalog.tests.factories import BUYER_SESSION_KEY, make_order

    order = make_order()
    client = Client()
    client.cookies["sessionid"] = BUYER_SESSION_KEY  # the buyer who placed the order
    before = _creates(emulator)
    with override_settings(**NO_RATE_LIMITS):
        for _ in range(reloads):
            assert client.get(f"/order/{order.pk}").status_code == 200
            assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
    return _creates(emulator) - before


def _creates(emulator: Any) -> int:
    return sum(
        (r["method"], r["path"]) == ("POST", "/v1/payment_intents") for r in emulator.requests()
    )
