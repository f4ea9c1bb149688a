"""Row locks, always taken in the same order: the order row first, then its payment row, so the
PaymentIntent endpoint, the webhooks and the result pages never deadlock each other."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.db import connection, models

from catalog.demo_order import SharedDemoOrder
from catalog.models import DEMO_SESSION_KEY, Order
from payments.exceptions import OrderNotFound
from payments.locked_order_rows import read_locked_order
from payments.models import Payment
from project.sql_rows import fetch, get_lock_clause


@cache
def _lock_statement(model: type[models.Model], vendor: str) -> str:
    """`select_for_update().filter(pk=…).exists()`'s statement, written once (compiling the
    queryset for each lock cost five times running it)."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    return f"SELECT 1 FROM {table} WHERE {pk} = %s{get_lock_clause()}"  # noqa: S608 (names from the model)


def lock_row(model: type[models.Model], pk: int) -> bool:
    """Lock the row `pk` of `model` until the transaction ends; False if there is none."""
    return bool(fetch(_lock_statement(model, connection.vendor), [pk]))


def lock_payment(payment_id: int, order_id: int) -> Payment:
    """Lock the order row, then the payment row (the one lock order used everywhere); the
    payment is read, with its order, once both are locked."""
    lock_row(Order, order_id)
    return Payment.objects.select_for_update().select_related("order").get(pk=payment_id)


# Whether the visitor is staff, or how to find out (reading `request.user` loads the session):
# asked only when the order's own session or payment link does not let the visitor pay it.
StaffCheck = bool | Callable[[], bool]


def lock_buyer_order(*, order_id: int, session_key: str | None, is_staff: StaffCheck) -> Order:
    """The order, its row locked, if this buyer may pay it; else OrderNotFound (a 404), or
    SharedDemoOrder for the demo order (`catalog.demo_order`: its views pay a copy).

    The lock serialises every request for the order (double clicks, reloads, several tabs)
    around the Stripe calls, so they agree on one PaymentIntent or Checkout Session. The order
    is read once the lock is held (`payments.locked_order_rows`): with its discount, tax and
    idempotency keys, its lines and its payments (newest first, `order.payments.all()`).
    """
    order = read_locked_order(order_id) if lock_row(Order, order_id) else None
    if order is None:
        raise OrderNotFound(order_id)
    if order.session_key == DEMO_SESSION_KEY:
        raise SharedDemoOrder(order_id)  # the buyer pays their own copy of it
    buyers = order.is_visible_to(session_key=session_key, is_staff=False)
    if not buyers and not (is_staff() if callable(is_staff) else is_staff):
        raise OrderNotFound(order_id)
    return order


def reread_status(order: Order) -> None:
    """Read the order's status again and forget the payments read with it: a Stripe answer
    just changed them (`order.payments.all()` then reads them afresh)."""
    getattr(order, "_prefetched_objects_cache", {}).pop("payments", None)
    order.refresh_from_db(fields=["status"])
