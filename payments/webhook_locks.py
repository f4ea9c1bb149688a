"""The webhook's row locks, in statements written once instead of compiled by the ORM for each
delivery: a queryset's compilation cost more CPU than the rest of a delivery (issue 11).

The lock order is `payments.locks`'s: the order row first, then its payments, newest first.
Each statement is the one `lock_order_of` sends; The rows are read as a queryset reads them
(`Model.from_db`, the database's converters applied).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import connection

from catalog.models import Order
from payments.models import Payment

_Model = type[Order] | type[Payment]
# A model's rows as read by a statement below: its SELECT list, the attribute each column fills,
# and the database's converters for each (none on PostgreSQL; text to datetime on SQLite).
_Converters = list[tuple[Callable[..., Any], Any]]
_Reader = tuple[str, list[str], list[_Converters]]


def _reader(model: _Model) -> _Reader:
    quote = connection.ops.quote_name
    table, fields = quote(model._meta.db_table), model._meta.concrete_fields
    columns = [field.get_col(model._meta.db_table) for field in fields]
    converters = [
        [(convert, col) for convert in connection.ops.get_db_converters(col)]
        + [(convert, col) for convert in col.get_db_converters(connection)]
        for col in columns
    ]
    select = ", ".join(f"{table}.{quote(field.column)}" for field in fields if field.column)
    return select, [field.attname for field in fields], converters


@cache
def _statements(vendor: str) -> tuple[tuple[str, _Reader], tuple[str, _Reader]]:
    """The order's and its payments' locking SELECTs. Only names from the models' meta are
    formatted in; values are parameters. No FOR UPDATE where the database locks the whole file
    instead (SQLite): Django's select_for_update leaves it out there too."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    quote = connection.ops.quote_name
    order, payment = quote(Order._meta.db_table), quote(Payment._meta.db_table)
    first_payment = (
        f"SELECT order_id FROM {payment} WHERE account = %s"  # noqa: S608
        " AND (stripe_id = %s OR stripe_payment_intent_id = %s)"
        " ORDER BY created_at DESC, id DESC LIMIT 1"
    )
    orders, payments = _reader(Order), _reader(Payment)
    return (
        (f"SELECT {orders[0]} FROM {order} WHERE id = ({first_payment}){lock}", orders),  # noqa: S608
        (
            f"SELECT {payments[0]} FROM {payment} WHERE order_id = %s"  # noqa: S608
            f" ORDER BY created_at DESC, id DESC{lock}",
            payments,
        ),
    )


def _rows(model: _Model, statement: tuple[str, _Reader], params: list[Any]) -> list[Any]:
    sql, (_, attnames, converters) = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    columns = range(len(attnames))
    return [
        model.from_db(
            connection.alias,
            attnames,
            [_converted(row[i], converters[i]) for i in columns],
        )
        for row in rows
    ]


def _converted(value: Any, converters: _Converters) -> Any:
    for convert, col in converters:
        value = convert(value, col, connection)
    return value


def lock_order_of_intent(account: str, intent_id: str) -> tuple[Order, list[Payment]] | None:
    """Lock the order of the account's payment of PaymentIntent `intent_id` (the card form's,
    by its id, or a Checkout Session's, by the PaymentIntent Stripe made for it), then read and
    lock all its payments, newest first; None if the shop has no such payment."""
    find_order, its_payments = _statements(connection.vendor)
    orders = _rows(Order, find_order, [account, intent_id, intent_id])
    if not orders:
        return None
    return orders[0], _rows(Payment, its_payments, [orders[0].pk])
