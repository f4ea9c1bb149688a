"""The PaymentIntent endpoints and the webhook send a fixed, small number of SQL statements,
however big the order. Listed without the transaction's own statements (BEGIN and COMMIT in
production, SAVEPOINT and RELEASE inside a test's transaction), which are counted apart."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.tests.factories import make_item, make_order, make_percent_discount, make_tax
from payments.models import Payment
from payments.tests.helpers import deliver, intent_event

pytestmark = pytest.mark.django_db

TRANSACTION = frozenset({"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"})
# Nothing before the order is locked: the per-account rate limit is counted with the locked
# order's currency, and the session is not read (the order's own buyer is recognised by the
# cookie, before `request.user` is asked).
BEFORE: list[str] = []
# The order path's transaction: the order's lock, the order with discount, tax, keys and lines,
# its payments.
LOCKED_READS = ["SELECT", "SELECT", "SELECT"]


def statements(client, url: str, **post) -> tuple[list[str], int]:
    """One POST's SQL statements (their first word) and how many transactions it opened."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, **post)
    assert response.status_code == 200, response.content
    verbs = [query["sql"].split(" ", 1)[0] for query in captured]
    data = [verb for verb in verbs if verb not in TRANSACTION]
    return data, verbs.count("BEGIN") + verbs.count("SAVEPOINT")


class TestPaymentIntentStatements:
    @pytest.mark.parametrize("lines", [1, 20])
    def test_create_then_reuse(self, client, stripe_accounts, lines):
        """A create: BEFORE, then in one transaction the locked reads, the idempotency keys'
        INSERT (an order's first create only) and the payment's INSERT: 6 statements. The
        reuse that follows writes nothing: 4."""
        order = make_order(
            lines=[(make_item(name=f"Item {n}"), 2) for n in range(lines)],
            discount=make_percent_discount(),
            tax=make_tax(),
        )
        url = f"/order/{order.pk}/payment-intent"
        assert statements(client, url) == (BEFORE + LOCKED_READS + ["INSERT", "INSERT"], 1)
        assert statements(client, url) == (BEFORE + LOCKED_READS, 1)
        assert Payment.objects.filter(order=order).count() == 1

    def test_item_create_then_reuse(self, client, stripe_accounts):
        """The item path: the item's account, then one transaction that locks the item and
        finds (or makes: order and line INSERTs) the one-line order, then the order path's
        transaction: 12 statements for a create (`create_order`'s atomic block nests a
        savepoint), 8 for the reuse."""
        url = f"/item/{make_item().pk}/payment-intent"
        find, make, pay = ["SELECT", "SELECT", "SELECT"], ["INSERT", "INSERT"], ["INSERT"] * 2
        assert statements(client, url) == (find + make + LOCKED_READS + pay, 3)
        assert statements(client, url) == (find + LOCKED_READS, 2)


class TestWebhookStatements:
    def test_succeeded_then_redelivered(self, client, stripe_accounts):
        """payment_intent.succeeded: in one transaction the event's INSERT … ON CONFLICT, the
        order locked by its payment's PaymentIntent, its payments locked and read, the
        payment's UPDATE and the order's: 5 statements. Its redelivery: the INSERT that stores
        nothing, alone: 1."""
        order = make_order()
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        payload = intent_event("payment_intent.succeeded", Payment.objects.get(order=order))
        with CaptureQueriesContext(connection) as first:
            assert deliver(client, payload).json()["outcome"] == "handled"
        with CaptureQueriesContext(connection) as again:
            assert deliver(client, payload).json()["outcome"] == "duplicate"
        verbs = [[query["sql"].split(" ", 1)[0] for query in run] for run in (first, again)]
        assert [[verb for verb in run if verb not in TRANSACTION] for run in verbs] == [
            ["INSERT", "SELECT", "SELECT", "UPDATE", "UPDATE"],
            ["INSERT"],
        ]
        assert [len(run) for run in verbs] == [7, 3]  # each in one transaction


class TestStaffAskedLast:
    def test_staff_pay_an_order_made_in_the_admin_by_both_paths(self, stripe_accounts):
        """Whether the visitor is staff is asked only when the order's session does not let
        them pay (`payments.locks.StaffCheck`): staff still pay an order made in the admin on
        both paths, reading the session and their user for it, and others still get 404."""
        order = make_order(session_key="")
        url = f"/order/{order.pk}/payment-intent"
        assert Client().post(url).status_code == 404
        assert Client().get(f"/order/{order.pk}/buy").status_code == 404
        clerk = Client()
        clerk.force_login(get_user_model().objects.create_user("clerk", is_staff=True))
        data, _transactions = statements(clerk, url)
        # After the locked reads: its payment links, then the session and the user.
        assert data == [*BEFORE, *LOCKED_READS, "SELECT", "SELECT", "SELECT", "INSERT", "INSERT"]
        assert clerk.get(f"/order/{order.pk}/buy").status_code == 200
