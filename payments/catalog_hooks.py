"""What payments answers the catalog, which never imports payments: the settings name these
functions (`CATALOG_REFRESH_BEFORE_PAY`, `CATALOG_ORDERS_BEING_PAID`) and `catalog.payment_hooks`
calls them. The "Sync with Stripe" action payments adds to the catalog's Order admin itself
(`payments.admin`)."""

from __future__ import annotations

from django.db.models import QuerySet

from catalog.models import Order
from payments.attempts import learn_open_attempts
from payments.models import PaymentStatus

# Payment statuses in which Stripe holds, or may be about to take, an amount computed from the
# order's lines, discount and tax.
IN_FLIGHT_STATUSES = (
    PaymentStatus.REQUIRES_PAYMENT,
    PaymentStatus.PROCESSING,
    PaymentStatus.SUCCEEDED,
)


def refresh_before_pay(order: Order) -> None:
    """Ask Stripe about a payable order's open attempts (`learn_open_attempts`) and reload its
    status, so its page never offers Pay for an order Stripe says is paid (its webhook not in
    yet)."""
    if order.is_payable and learn_open_attempts(order):
        order.refresh_from_db(fields=["status"])


def filter_orders_being_paid(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Those of `orders` with a payment awaiting the buyer, processing or succeeded."""
    return orders.filter(payments__status__in=IN_FLIGHT_STATUSES)
