"""Statements written once: the same rows and values as the querysets they stand for."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from catalog.models import Item, Order
from catalog.page_rows import find_item_row_for_sale, get_item_columns, list_catalog_rows
from catalog.tests.factories import make_item, make_order
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.row_writes import update_fields
from payments.webhook_locks import lock_order_of_intent

pytestmark = pytest.mark.django_db


def _payment(order: Order, intent_id: str, status: str = PaymentStatus.REQUIRES_PAYMENT) -> Payment:
    return Payment.objects.create(
        status=status,
        order=order,
        kind=PaymentKind.PAYMENT_INTENT,
        account="usd",
        stripe_id=intent_id,
        amount=1500,
        shop_amount=1500,
        currency="usd",
    )


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
