"""`save(update_fields=…)` in one UPDATE written once per model and field list, instead of a
queryset compiled for each call: on the webhook's path the compilation cost more CPU than the
statement (README, Benchmarks).

What `save(update_fields=…)` does and these rows need is kept: each field's `pre_save`
(`auto_now` stamps `updated_at`), its database value, and an error if no row was updated.
No signal is sent; none is connected to these models (save's signals would be skipped).
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
