"""Statements written once: the same rows and values as the querysets they stand for."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from catalog.models import Item, Order
from catalog.page_rows import find_item_row_for_sale, get_item_columns, list_catalog_rows
from catalog.tests.factories import make_item, make_order, make_percent_discount, make_tax
from payments.locked_order_rows import read_locked_order
from payments.models import Payment, PaymentStatus
from payments.order_keys import OrderKeys, get_order_keys
from payments.row_writes import insert_row, update_fields
from payments.tests.helpers import build_payment, make_payment
from payments.webhook_locks import lock_order_of_intent

pytestmark = pytest.mark.django_db


def _payment(order: Order, intent_id: str, status: str = PaymentStatus.REQUIRES_PAYMENT) -> Payment:
    return make_payment(order, intent_id, amount=1500, status=status)


class TestUpdateFields:
    def test_writes_the_fields_stamps_updated_at_and_refuses_a_missing_row(self):
        """The named fields are written and `updated_at` moves, as save(update_fields) does;
        a row that is gone is an error, not a silent no-op."""
        payment = _payment(make_order(), "pi_rows1")
        before = payment.updated_at
        payment.status, payment.last_error = PaymentStatus.FAILED, "declined"
        update_fields(payment, ["status", "last_error", "updated_at"])
        stored = Payment.objects.get(pk=payment.pk)
        assert (stored.status, stored.last_error) == (PaymentStatus.FAILED, "declined")
        assert stored.updated_at > before
        Payment.objects.filter(pk=payment.pk).delete()
        with pytest.raises(DatabaseError):
            update_fields(payment, ["status"])


def _values(instance: Model | None) -> list[Any]:
    assert instance is not None
    return [getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields]


class TestInsertRow:
    def test_the_row_save_would_write_with_its_new_id(self):
        """A new payment written by insert_row is the row `save()` writes: every field, its
        new id on the instance, `created_at` and `updated_at` stamped; a second insert of the
        same Stripe id breaks the unique constraint as save() would."""
        order = make_order()
        payment = build_payment(order, "pi_insert1", amount=1500)
        insert_row(payment)
        assert payment.pk is not None
        assert not payment._state.adding
        stored = Payment.objects.get(pk=payment.pk)
        assert _values(stored) == _values(payment)
        assert stored.created_at is not None
        assert stored.status == PaymentStatus.REQUIRES_PAYMENT  # the model's default
        twin = build_payment(order, "pi_insert1", amount=1, status=PaymentStatus.CANCELED)
        with pytest.raises(DatabaseError), transaction.atomic():
            insert_row(twin)

    def test_a_row_whose_id_is_given(self):
        """OrderKeys, whose primary key is its order's: written with that key and its default
        nonce, as `OrderKeys.objects.create(order=…)` would."""
        order = make_order()
        keys = OrderKeys(order=order)
        insert_row(keys)
        assert _values(OrderKeys.objects.get(pk=order.pk)) == _values(keys)


class TestReadLockedOrder:
    def test_the_same_order_lines_and_payments_as_the_orm_reads(self, stripe_accounts):
        """The order, its discount, tax and keys, its lines (with items, by primary key) and
        its payments (newest first) equal field for field what the ORM reads, and each line
        and payment knows its order without another query."""
        order = make_order(
            lines=[(make_item(name="Pot", price="9.99"), 2), (make_item(name="Cup"), 1)],
            discount=make_percent_discount(),
            tax=make_tax(),
        )
        get_order_keys(order)
        older = _payment(order, "pi_read1", PaymentStatus.CANCELED)
        newer = _payment(order, "pi_read2")
        with transaction.atomic():
            read = read_locked_order(order.pk)
        assert read is not None
        orm = Order.objects.select_related("discount", "tax", "payment_keys").get(pk=order.pk)
        assert _values(read) == _values(orm)
        assert _values(read.discount) == _values(orm.discount)
        assert _values(read.tax) == _values(orm.tax)
        assert _values(read.payment_keys) == _values(orm.payment_keys)
        lines = list(orm.lines.select_related("item").order_by("pk"))
        assert [_values(line) for line in read.lines.all()] == [_values(line) for line in lines]
        assert [_values(line.item) for line in read.lines.all()] == [
            _values(line.item) for line in lines
        ]
        assert [p.pk for p in read.payments.all()] == [newer.pk, older.pk]
        assert [_values(p) for p in read.payments.all()] == [
            _values(Payment.objects.get(pk=p.pk)) for p in (newer, older)
        ]
        with CaptureQueriesContext(connection) as queries:
            assert all(line.order is read for line in read.lines.all())
            assert all(payment.order is read for payment in read.payments.all())
            assert read.lines.count() == 2
        assert len(queries) == 0

    def test_what_the_order_has_not_is_known_without_a_query(self):
        """No discount, tax, keys or payments: each is known to be missing (keys raise
        DoesNotExist as select_related leaves them), with no further query; an order without
        lines has none; a missing order reads as None."""
        order = make_order()
        read = read_locked_order(order.pk)
        assert read is not None
        with CaptureQueriesContext(connection) as queries:
            assert (read.discount, read.tax) == (None, None)
            with pytest.raises(OrderKeys.DoesNotExist):
                read.payment_keys  # noqa: B018 - the attribute's access is the test
            assert list(read.payments.all()) == []
        assert len(queries) == 0
        order.lines.all().delete()  # the admin can leave an order without lines
        emptied = read_locked_order(order.pk)
        assert emptied is not None
        assert list(emptied.lines.all()) == []
        assert read_locked_order(order.pk + 1000) is None


class TestLockOrderOfIntent:
    def test_the_same_rows_as_the_orm_reads(self, stripe_accounts):
        """The order and its payments, newest first, equal field for field what the ORM
        reads (dates converted on SQLite too); an unknown PaymentIntent finds nothing."""
        order = make_order()
        older = _payment(order, "pi_rows2", PaymentStatus.CANCELED)  # one open attempt per order
        newer = _payment(order, "pi_rows3")
        found = lock_order_of_intent("usd", "pi_rows2")
        assert found is not None
        locked, payments = found
        fields = [f.attname for f in Payment._meta.concrete_fields]
        expected = [Payment.objects.get(pk=p.pk) for p in (newer, older)]
        assert [[getattr(p, f) for f in fields] for p in payments] == [
            [getattr(p, f) for f in fields] for p in expected
        ]
        assert locked.created_at == Order.objects.get(pk=order.pk).created_at
        assert lock_order_of_intent("usd", "pi_unknown") is None
        assert lock_order_of_intent("eur", "pi_rows2") is None


class TestPageRows:
    def test_rows_are_the_orm_items_values(self, stripe_accounts, settings):
        """The catalog's rows and an item's row hold what the ORM's items hold, in its order;
        an item priced in a currency that cannot be paid is not for sale."""
        make_item(name="Pot", price="9.99")
        cup = make_item(name="Cup")
        make_item(name="Euro bowl", currency="eur")
        settings.STRIPE_CURRENCIES = ["usd"]  # euros can no longer be paid
        names = get_item_columns().attnames
        orm = [tuple(getattr(i, a) for a in names) for i in Item.objects.filter(currency="usd")]
        assert list_catalog_rows() == orm
        assert find_item_row_for_sale(cup.pk) == next(r for r in orm if r[0] == cup.pk)
        assert find_item_row_for_sale(Item.objects.get(currency="eur").pk) is None
        row = find_item_row_for_sale(cup.pk)
        assert row is not None
        assert get_item_columns().instance(row).name == "Cup"
