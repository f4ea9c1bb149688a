"""`save(update_fields=…)` in one UPDATE, and a new row's `save()` in one INSERT, each written
once per model (and field list) instead of a query compiled for each call: on the webhook's and
the PaymentIntent endpoint's paths the compilation cost more CPU than the statement (README,
Benchmarks).

What `save()` does and these rows need is kept: each field's `pre_save` (`auto_now` stamps
`updated_at`, `auto_now_add` `created_at`), its database value, the new row's id, and an error
if an UPDATE found no row. No signal is sent; none is connected to these models (save's signals
would be skipped).
"""

from __future__ import annotations

from functools import cache

from django.db import DatabaseError, connection, models


@cache
def _update(model: type[models.Model], fields: tuple[str, ...], vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(_field(model, name).column or name)} = %s" for name in fields)
    table, pk = quote(model._meta.db_table), quote(_field(model, "pk").column or "id")
    return f"UPDATE {table} SET {columns} WHERE {pk} = %s"  # noqa: S608 (names from the model)


@cache
def _insert(model: type[models.Model], vendor: str) -> tuple[str, tuple[models.Field, ...]]:  # type: ignore[type-arg]
    """The INSERT of every concrete column but a database-made id, returning that id."""
    quote = connection.ops.quote_name
    fields = tuple(
        field
        for field in model._meta.concrete_fields
        if field.column and field is not model._meta.auto_field
    )
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column or "") for field in fields)
    placeholders = ", ".join("%s" for _ in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names from the model)
    auto = model._meta.auto_field
    if auto is not None and connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote(str(auto.column))}"
    return sql, fields


def _field(model: type[models.Model], name: str) -> models.Field:  # type: ignore[type-arg]
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def update_fields(instance: models.Model, fields: list[str]) -> None:
    """Write `fields` of `instance`'s row, as `instance.save(update_fields=fields)` does."""
    names = tuple(dict.fromkeys(fields))
    values = []
    for name in names:
        field = _field(type(instance), name)
        values.append(field.get_db_prep_save(field.pre_save(instance, False), connection))
    with connection.cursor() as cursor:
        cursor.execute(_update(type(instance), names, connection.vendor), [*values, instance.pk])
        if cursor.rowcount == 0:
            raise DatabaseError("Save with update_fields did not affect any rows.")


def insert_row(instance: models.Model) -> None:
    """Write the new `instance` as one row, as `instance.save()` does for a new instance."""
    model, vendor = type(instance), connection.vendor
    sql, fields = _insert(model, vendor)
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    auto = model._meta.auto_field
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if auto is not None:
            if connection.features.can_return_columns_from_insert:
                new_id = cursor.fetchone()[0]
            else:
                table, column = model._meta.db_table, str(auto.column)
                new_id = connection.ops.last_insert_id(cursor, table, column)
            setattr(instance, auto.attname, new_id)
    instance._state.adding = False
    instance._state.db = connection.alias
