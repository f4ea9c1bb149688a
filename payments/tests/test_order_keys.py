"""The order's idempotency-key parts: made once per order, counted in place, and carried over
from the catalog's old Order fields by the migration that moved them here."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalog.tests.factories import make_order
from payments.order_keys import OrderKeys, add_failed_create, get_order_keys

BEFORE = [("catalog", "0005_order_refund_statuses"), ("payments", "0003_refund")]
AFTER = [("catalog", "0006_payment_bookkeeping_moved_to_payments"), ("payments", "0004_order_keys")]


@pytest.mark.django_db
def test_keys_are_made_once_and_kept():
    """The first ask makes the order's keys; later asks, on any copy of the order, get them."""
    order = make_order()
    made = get_order_keys(order)
    again = get_order_keys(type(order).objects.get(pk=order.pk))
    assert (again.pk, again.nonce, again.failed_creates) == (made.pk, made.nonce, 0)


@pytest.mark.django_db
def test_a_failed_create_is_counted_in_the_database_and_on_the_order():
    """add_failed_create counts in the row and on the order's cached keys."""
    order = make_order()
    add_failed_create(order)
    add_failed_create(order)
    assert order.payment_keys.failed_creates == 2
    assert OrderKeys.objects.get(order=order).failed_creates == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_each_orders_nonce_and_count_over():
    """Orders made before the move keep their nonce and failed-create count, now in payments."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_order = executor.loader.project_state(BEFORE).apps.get_model("catalog", "Order")
    nonce = uuid.uuid4()
    order = old_order.objects.create(currency="usd", payment_nonce=nonce, failed_creates=3)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    keys = OrderKeys.objects.get(order_id=order.pk)
    assert (keys.nonce, keys.failed_creates) == (nonce, 3)
