"""A hung Stripe costs a buyer a bounded wait, with the settings as shipped (not overridden)."""

from __future__ import annotations

import runpy
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from catalog.tests.factories import make_order
from payments.models import Payment

BASE_DIR = Path(__file__).resolve().parent.parent.parent
GUNICORN_TIMEOUT = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["timeout"]


def shipped(*names: str) -> list[str]:
    """The named settings as a fresh process reads them with no Stripe or database variables."""
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr({name}))" for name in names
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "bound-test-" + "x" * 50}
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-len(names) :]


class TestShippedTimeBound:
    def test_the_defaults_fit_gunicorn_and_sqlite(self):
        """One hung Stripe call, plus a queued buyer's wait for the lock it holds, fit in
        gunicorn's timeout; the lock's hold fits in SQLite's busy timeout."""
        timeout, retries, bound, sqlite_timeout = shipped(
            "s.STRIPE_TIMEOUT_SECONDS",
            "s.STRIPE_MAX_NETWORK_RETRIES",
            "s.STRIPE_CALL_BOUND_SECONDS",
            "s.DATABASES['default']['OPTIONS']['timeout']",
        )
        assert (int(timeout), int(retries), float(bound)) == (5, 1, 10.5)
        assert 2 * float(bound) < GUNICORN_TIMEOUT
        assert float(bound) < int(sqlite_timeout) < GUNICORN_TIMEOUT

    @pytest.mark.django_db
    def test_a_hung_stripe_answers_502_within_the_bound(self, admin_client, stripe_accounts):
        """Stripe never answering the create: a 502 with a message, after the SDK's retry, within
        the shipped per-call bound, and nothing recorded."""
        assert (settings.STRIPE_TIMEOUT_SECONDS, settings.STRIPE_MAX_NETWORK_RETRIES) == (5, 1)
        order = make_order()
        stripe_accounts.set_fault("POST /v1/payment_intents", error="hang")
        started = time.monotonic()
        response = admin_client.post(f"/order/{order.pk}/payment-intent")
        elapsed = time.monotonic() - started
        assert response.status_code == 502
        assert "Nothing was charged" in response.json()["error"]
        assert 10 <= elapsed < settings.STRIPE_CALL_BOUND_SECONDS + 1.5
        assert not Payment.objects.exists()
