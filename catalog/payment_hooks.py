"""The two things the catalog asks of whoever takes payments, without importing them.

Payments builds on the catalog (a Payment belongs to an Order), so the catalog never imports
payments: the order page and the admin reach it through these two functions, whose
implementations the settings name by dotted path (`CATALOG_REFRESH_BEFORE_PAY`,
`CATALOG_ORDERS_BEING_PAID`; the payments app's are in `payments.catalog_hooks`). A setting
rather than a registry or a signal, so grepping the setting's name leads to the code it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from catalog.models import Order


def refresh_before_pay(order: Order) -> None:
    """Bring `order.status` up to date with the payment provider before the order's page
    decides whether to offer Pay (an attempt may have been paid with its news not in yet)."""
    refresh = cast(Callable[["Order"], None], import_string(settings.CATALOG_REFRESH_BEFORE_PAY))
    refresh(order)


def filter_orders_being_paid(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Those of `orders` with a payment that awaits the buyer, is processing or succeeded:
    one whose amount was computed from the order's lines, discount and tax."""
    being_paid = cast(
        Callable[[QuerySet["Order"]], QuerySet["Order"]],
        import_string(settings.CATALOG_ORDERS_BEING_PAID),
    )
    return being_paid(orders)
