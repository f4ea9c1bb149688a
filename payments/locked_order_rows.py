"""An order read under its row lock for a payment request, in statements written once instead
of querysets compiled for each request: compiling them and making the instances through the
ORM cost about three times the PaymentIntent create itself (README, Benchmarks).

Three statements, each taken after the lock is held (one taken before the lock was granted
would read rows as they were before the last holder committed): the order with its discount,
tax and idempotency keys; its lines with their items, by primary key; its payments, newest
first. The rows are read as a queryset reads them (`project.sql_rows`), and the related
objects are left where `select_related` and `prefetch_related` leave them.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from django.db import connection, models

from catalog.models import Discount, Item, Order, OrderLine, Tax
from payments.models import Payment
from payments.order_keys import OrderKeys
from project.sql_rows import Columns, fetch, get_model_columns

M = TypeVar("M", bound=models.Model)


@cache
def _statements(vendor: str) -> tuple[str, str, str]:
    """Only names from the models' meta are formatted in; the order's id is a parameter."""
    quote = connection.ops.quote_name
    order, discount, tax, keys, line, item, payment = (
        quote(model._meta.db_table)
        for model in (Order, Discount, Tax, OrderKeys, OrderLine, Item, Payment)
    )

    def columns(*read: type[models.Model]) -> str:
        return ", ".join(get_model_columns(model, vendor).select for model in read)

    return (
        f"SELECT {columns(Order, Discount, Tax, OrderKeys)} FROM {order}"  # noqa: S608
        f" LEFT OUTER JOIN {discount} ON {discount}.id = {order}.discount_id"
        f" LEFT OUTER JOIN {tax} ON {tax}.id = {order}.tax_id"
        f" LEFT OUTER JOIN {keys} ON {keys}.order_id = {order}.id"
        f" WHERE {order}.id = %s",
        f"SELECT {columns(OrderLine, Item)} FROM {line}"  # noqa: S608
        f" INNER JOIN {item} ON {item}.id = {line}.item_id"
        f" WHERE {line}.order_id = %s ORDER BY {line}.id",
        f"SELECT {columns(Payment)} FROM {payment} WHERE order_id = %s"  # noqa: S608
        " ORDER BY created_at DESC, id DESC",
    )


Row = tuple[Any, ...]


def _split(row: Row, *parts: Columns[Any]) -> list[Row]:
    """The row's cells for each model in `parts`, in their order in the SELECT list."""
    cells, start = [], 0
    for part in parts:
        cells.append(row[start : start + len(part.attnames)])
        start += len(part.attnames)
    return cells


def _instance(columns: Columns[M], cells: Row) -> M:
    return columns.instance(columns.values(cells))


def _joined(columns: Columns[M], cells: Row) -> M | None:
    """The instance of an outer join's cells, None when the join found no row (its id NULL)."""
    if cells[columns.attnames.index(columns.model._meta.pk.attname)] is None:
        return None
    return _instance(columns, cells)


def read_locked_order(order_id: int) -> Order | None:
    """The order with its discount, tax, keys, lines (with items) and payments, or None if it
    has gone. The caller holds the order's row lock."""
    vendor = connection.vendor
    order_sql, lines_sql, payments_sql = _statements(vendor)
    found = fetch(order_sql, [order_id])
    if not found:
        return None
    orders, discounts = get_model_columns(Order, vendor), get_model_columns(Discount, vendor)
    taxes, keys = get_model_columns(Tax, vendor), get_model_columns(OrderKeys, vendor)
    order_cells, discount_cells, tax_cells, keys_cells = _split(
        found[0], orders, discounts, taxes, keys
    )
    order: Order = _instance(orders, order_cells)
    Order.discount.field.set_cached_value(order, _joined(discounts, discount_cells))
    Order.tax.field.set_cached_value(order, _joined(taxes, tax_cells))
    order_keys = _joined(keys, keys_cells)
    if order_keys is not None:
        OrderKeys.order.field.set_cached_value(order_keys, order)
    # None cached says "none exists", as select_related says it (`get_order_keys` relies on it).
    Order.payment_keys.related.set_cached_value(order, order_keys)
    _cache_related(order, "lines", _read_lines(order, lines_sql))
    _cache_related(order, "payments", _read_payments(order, payments_sql))
    return order


def _read_lines(order: Order, sql: str) -> list[OrderLine]:
    vendor = connection.vendor
    lines, items = get_model_columns(OrderLine, vendor), get_model_columns(Item, vendor)
    read = []
    for row in fetch(sql, [order.pk]):
        line_cells, item_cells = _split(row, lines, items)
        line = _instance(lines, line_cells)
        OrderLine.item.field.set_cached_value(line, _instance(items, item_cells))
        OrderLine.order.field.set_cached_value(line, order)
        read.append(line)
    return read


def _read_payments(order: Order, sql: str) -> list[Payment]:
    payments = get_model_columns(Payment, connection.vendor)
    read = []
    for row in fetch(sql, [order.pk]):
        payment = _instance(payments, row)
        Payment.order.field.set_cached_value(payment, order)
        read.append(payment)
    return read


def _cache_related(order: Order, name: str, rows: list[Any]) -> None:
    """`order.<name>.all()` returns `rows` from now on, as after `prefetch_related(name)`."""
    queryset = getattr(order, name).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    order.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
