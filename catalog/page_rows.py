"""The catalog's and the item page's one query each, compiled once per language and payable
currencies instead of for every view, and their rows read as plain values: those values are
the pages' cache key (`catalog.page_cache`), and `Item`s are made of them only when a page is
rendered, not for every view (README, Benchmarks: compiling the query and making the instances, with
modeltranslation's per-instance work, cost more CPU than running the query).

Each statement is the queryset's own SQL (`list_items_for_sale()`, `Item.objects.filter(pk=…)`),
compiled for the active language because modeltranslation orders by its name column.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import get_language

from catalog.currencies import list_payable_currencies
from catalog.models import Item
from catalog.services import list_items_for_sale
from project.sql_rows import Columns, fetch, get_model_columns

Row = tuple[Any, ...]


def get_item_columns() -> Columns[Item]:
    return get_model_columns(Item, connection.vendor)


def _compiled(queryset: QuerySet[Item]) -> tuple[str, tuple[Any, ...]] | None:
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # no payable currency: nothing for sale
        return None
    if [col.target.attname for col, _, _ in compiler.select] != list(get_item_columns().attnames):
        raise RuntimeError("the queryset's columns are not Item's concrete columns")
    return sql, tuple(params)


@lru_cache(maxsize=64)
def _catalog(language: str | None, currencies: tuple[str, ...], vendor: str) -> Any:
    """`list_items_for_sale()` compiled; the arguments are what its SQL depends on (the key)."""
    return _compiled(list_items_for_sale())


@lru_cache(maxsize=64)
def _item(language: str | None, vendor: str) -> str:
    compiled = _compiled(Item.objects.filter(pk=0).order_by())
    if compiled is None or compiled[1] != (0,):
        raise RuntimeError("the item's statement has other parameters than its id")
    return compiled[0]


def list_catalog_rows() -> list[Row]:
    """`list_items_for_sale()`'s rows, as values of `get_item_columns().attnames`."""
    compiled = _catalog(get_language(), tuple(list_payable_currencies()), connection.vendor)
    if compiled is None:
        return []
    columns = get_item_columns()
    return [columns.values(row) for row in fetch(*compiled)]


def find_item_row_for_sale(pk: int) -> Row | None:
    """Item `pk`'s row if it is for sale, else None: `list_items_for_sale()`'s rule checked on
    the row, so the statement is a plain primary-key lookup (cheaper to build)."""
    low, high = connection.ops.integer_field_range(Item._meta.pk.get_internal_type())
    if not (low is None or low <= pk) or not (high is None or pk <= high):
        return None  # no such row: the ORM's lookup would not ask the database either
    found = fetch(_item(get_language(), connection.vendor), [pk])
    if not found:
        return None
    columns = get_item_columns()
    row = columns.values(found[0])
    currency = row[columns.attnames.index("currency")]
    return row if currency in list_payable_currencies() else None
