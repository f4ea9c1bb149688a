"""Model rows read by SQL written once, for the few statements on the hottest paths (the
webhook's locks, the catalog and item pages): compiling a queryset cost more CPU than running
it (README, Benchmarks). Rows are read as a queryset reads them: the database's converters
applied to each column, instances made with `Model.from_db`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Columns(Generic[M]):
    """Every concrete column of `model`: the SELECT list, the attributes they fill, and each
    column's converters (none on PostgreSQL for these models; text to datetime on SQLite)."""

    model: type[M]
    select: str
    attnames: tuple[str, ...]
    converters: tuple[tuple[tuple[Callable[..., Any], Any], ...], ...]

    def values(self, row: Sequence[Any]) -> tuple[Any, ...]:
        """The row's values as the model's fields hold them."""
        out = []
        for value, converters in zip(row, self.converters, strict=True):
            for convert, col in converters:
                value = convert(value, col, connection)
            out.append(value)
        return tuple(out)

    def instance(self, values: Sequence[Any]) -> M:
        return self.model.from_db(connection.alias, list(self.attnames), list(values))


@cache
def get_model_columns(model: type[M], vendor: str) -> Columns[M]:
    """`model`'s `Columns` on the database of `vendor` (one database per process)."""
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if field.column]
    table = model._meta.db_table
    cols = [field.get_col(table) for field in fields]
    converters = tuple(
        tuple((convert, col) for convert in connection.ops.get_db_converters(col))
        + tuple((convert, col) for convert in col.get_db_converters(connection))
        for col in cols
    )
    select = ", ".join(f"{quote(table)}.{quote(field.column or '')}" for field in fields)
    return Columns(model, select, tuple(field.attname for field in fields), converters)


def get_lock_clause() -> str:
    """ " FOR UPDATE" to end a locking SELECT, or nothing where the database locks the whole
    file instead (SQLite): Django's select_for_update leaves it out there too."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of one statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows
