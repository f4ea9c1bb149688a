"""The webhook's row locks, in statements written once instead of compiled by the ORM for each
delivery: a queryset's compilation cost more CPU than the rest of a delivery (README, Benchmarks).

The lock order is `payments.locks`'s: the order row first, then its payments, newest first.
The rows are read as a queryset reads them (`project.sql_rows`).
"""

from __future__ import annotations

from functools import cache

from django.db import connection

from catalog.models import Order
from payments.models import Payment
from project.sql_rows import fetch, get_lock_clause, get_model_columns


@cache
def _statements(vendor: str) -> tuple[str, str]:
    """The order's and its payments' locking SELECTs. Only names from the models' meta are
    formatted in; values are parameters."""
    lock = get_lock_clause()
    quote = connection.ops.quote_name
    order, payment = quote(Order._meta.db_table), quote(Payment._meta.db_table)
    first_payment = (
        f"SELECT order_id FROM {payment} WHERE account = %s"  # noqa: S608
        " AND (stripe_id = %s OR stripe_payment_intent_id = %s)"
        " ORDER BY created_at DESC, id DESC LIMIT 1"
    )
    orders, payments = (
        get_model_columns(Order, vendor).select,
        get_model_columns(Payment, vendor).select,
    )
    return (
        f"SELECT {orders} FROM {order} WHERE id = ({first_payment}){lock}",  # noqa: S608
        f"SELECT {payments} FROM {payment} WHERE order_id = %s"  # noqa: S608
        f" ORDER BY created_at DESC, id DESC{lock}",
    )


def lock_order_of_intent(account: str, intent_id: str) -> tuple[Order, list[Payment]] | None:
    """Lock the order of the account's payment of PaymentIntent `intent_id` (the card form's,
    by its id, or a Checkout Session's, by the PaymentIntent Stripe made for it), then read and
    lock all its payments, newest first; None if the shop has no such payment."""
    vendor = connection.vendor
    find_order, its_payments = _statements(vendor)
    found = fetch(find_order, [account, intent_id, intent_id])
    if not found:
        return None
    orders, payments = get_model_columns(Order, vendor), get_model_columns(Payment, vendor)
    order = orders.instance(orders.values(found[0]))
    rows = fetch(its_payments, [order.pk])
    return order, [payments.instance(payments.values(row)) for row in rows]
