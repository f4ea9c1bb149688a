"""Reconciliation run twice at once (two machines' schedulers): each payment is recorded,
canceled or expired exactly once. On PostgreSQL row locks with SKIP LOCKED split the payments;
SQLite has no row locks, and its IMMEDIATE transactions make the runs take turns instead (see
`payments.reconcile`), so the split itself is only asserted on PostgreSQL.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from payments.gateway.accounts import get_account, get_stripe_client
from payments.models import PaymentStatus
from payments.reconcile import Outcome, compute_abandon_cutoff, list_payments_to_check, reconcile
from payments.tests.helpers import (
    age,
    at_once,
    buyer,
    card_payment,
    checkout_payment,
    deliver,
    pay_server_side,
    posts_ending,
    statuses,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run_once(_: int) -> Outcome:
    return reconcile(list_payments_to_check(), abandon_before=compute_abandon_cutoff())


class TestTwoRunsAtOnce:
    def test_two_reconciles_at_once_have_one_effect(self, stripe_accounts):
        """A paid PaymentIntent, an abandoned one and an abandoned session, reconciled by two
        runs at once while each Stripe read takes 300 ms: one record, one cancel, one expire."""
        client = buyer()
        paid, old_intent, old_session = (
            card_payment(client),
            card_payment(client),
            checkout_payment(client),
        )
        pay_server_side(paid)
        age(old_intent, hours=25)
        age(old_session, hours=25)
        for route in ("GET /v1/payment_intents/{intent}", "GET /v1/checkout/sessions/{session}"):
            stripe_accounts.set_fault(route, latency_ms=300)

        outcomes = at_once(run_once, threads=2)

        assert all(isinstance(outcome, Outcome) for outcome in outcomes), outcomes
        changed = [change.payment_id for outcome in outcomes for change in outcome.changes]
        assert sorted(changed) == sorted([paid.pk, old_intent.pk, old_session.pk])
        if connection.vendor == "postgresql":  # the runs overlapped and split the payments
            assert sum(outcome.skipped for outcome in outcomes) >= 1
        assert len(posts_ending(stripe_accounts, "/cancel")) == 1
        assert len(posts_ending(stripe_accounts, "/expire")) == 1
        assert statuses(paid)[0] == PaymentStatus.SUCCEEDED
        assert statuses(old_intent)[0] == PaymentStatus.CANCELED
        assert statuses(old_session)[0] == PaymentStatus.CANCELED
        assert paid.attention == ""

    def test_a_reconcile_and_the_webhook_at_once_record_the_payment_once(self, stripe_accounts):
        """The late `payment_intent.succeeded` and a reconcile of its payment at once: the
        payment is recorded succeeded once, with no "paid twice" flag."""
        client = buyer()
        payment = card_payment(client)
        pay_server_side(payment)
        events = get_stripe_client(get_account("usd")).v1.events.list(
            {"type": "payment_intent.succeeded"}
        )
        late = json.dumps(events.data[0].to_dict()).encode()
        stripe_accounts.set_fault("GET /v1/payment_intents/{intent}", latency_ms=300)

        def work(index: int) -> Any:
            return run_once(index) if index == 0 else deliver(buyer(), late).status_code

        outcome, delivered = at_once(work, threads=2)

        assert isinstance(outcome, Outcome), outcome
        assert delivered == 200
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, "paid")
        assert payment.attention == ""
