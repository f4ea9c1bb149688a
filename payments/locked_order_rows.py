"""An order read under its row lock for a payment request, in statements written once instead
of querysets compiled for each request: compiling them and making the instances through the
ORM cost about three times the PaymentIntent create itself (README, Benchmarks).

Two statements, each taken after the lock is held (one taken before the lock was granted
would read rows as they were before the last holder committed): the order with its discount,
tax, idempotency keys and lines with their items (one row per line, by primary key); then its
payments, newest first. The rows are read as a queryset reads them (`project.sql_rows`), and
the related objects are left where `select_related` and `prefetch_related` leave them.
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

# The models of the order statement's columns, in its SELECT list's order: one row per line.
_ORDER_ROW: tuple[type[models.Model], ...] = (Order, Discount, Tax, OrderKeys, OrderLine, Item)


def _columns(vendor: str) -> list[Columns[Any]]:
    return [get_model_columns(model, vendor) for model in _ORDER_ROW]


@cache
def _statements(vendor: str) -> tuple[str, str]:
    """Only names from the models' meta are formatted in; the order's id is a parameter."""
    quote = connection.ops.quote_name
    order, discount, tax, keys, line, item, payment = (
        quote(model._meta.db_table)
        for model in (Order, Discount, Tax, OrderKeys, OrderLine, Item, Payment)
    )
    columns = ", ".join(get_model_columns(model, vendor).select for model in _ORDER_ROW)
    return (
        f"SELECT {columns} FROM {order}"  # noqa: S608
        f" LEFT OUTER JOIN {discount} ON {discount}.id = {order}.discount_id"
        f" LEFT OUTER JOIN {tax} ON {tax}.id = {order}.tax_id"
        f" LEFT OUTER JOIN {keys} ON {keys}.order_id = {order}.id"
        f" LEFT OUTER JOIN {line} ON {line}.order_id = {order}.id"
        f" LEFT OUTER JOIN {item} ON {item}.id = {line}.item_id"
        f" WHERE {order}.id = %s ORDER BY {line}.id",
        f"SELECT {get_model_columns(Payment, vendor).select} FROM {payment}"  # noqa: S608
        " WHERE order_id = %s ORDER BY created_at DESC, id DESC",
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
    order_sql, payments_sql = _statements(vendor)
    rows = fetch(order_sql, [order_id])
    if not rows:
        return None
    columns = _columns(vendor)
    orders, discounts, taxes, keys, lines, items = columns
    order_cells, discount_cells, tax_cells, keys_cells, _, _ = _split(rows[0], *columns)
    order: Order = _instance(orders, order_cells)
    Order.discount.field.set_cached_value(order, _joined(discounts, discount_cells))
    Order.tax.field.set_cached_value(order, _joined(taxes, tax_cells))
    order_keys = _joined(keys, keys_cells)
    if order_keys is not None:
        OrderKeys.order.field.set_cached_value(order_keys, order)
    # None cached says "none exists", as select_related says it (`get_order_keys` relies on it).
    Order.payment_keys.related.set_cached_value(order, order_keys)
    read_lines = []
    for row in rows:
        *_, line_cells, item_cells = _split(row, *columns)
        line = _joined(lines, line_cells)
        if line is None:
            continue  # an order without lines: the one row the outer join made
        OrderLine.item.field.set_cached_value(line, _instance(items, item_cells))
        OrderLine.order.field.set_cached_value(line, order)
        read_lines.append(line)
    _cache_related(order, "lines", read_lines)
    _cache_related(order, "payments", _read_payments(order, payments_sql))
    return order


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
