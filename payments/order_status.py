"""An order's status as its payments say it is: a pure function of their statuses, so the
PaymentIntent endpoint, which has just read them under the order's lock, need not read them
again (`payments.transitions.sync_order_status` reads them for the other callers)."""

from __future__ import annotations

from collections.abc import Iterable

from catalog.models import OrderStatus
from payments.models import PAID_STATUSES, PaymentStatus

# Statuses in which an attempt could still take the buyer's money.
OPEN_ATTEMPT_STATUSES = (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.FAILED)

# Statuses of an attempt that took the money, or is taking it.
TAKEN_STATUSES = (PaymentStatus.SUCCEEDED, PaymentStatus.PROCESSING)

# Money that moved and keeps an order from being paid again (unless a covering payment paid it).
_HOLDING_STATUSES = frozenset({*TAKEN_STATUSES, PaymentStatus.PARTIALLY_REFUNDED})

_ORDER_STATUS_OF_PAYMENT: dict[str, OrderStatus] = {
    PaymentStatus.REQUIRES_PAYMENT: OrderStatus.OPEN,
    PaymentStatus.PROCESSING: OrderStatus.PROCESSING,
    PaymentStatus.FAILED: OrderStatus.FAILED,
    PaymentStatus.CANCELED: OrderStatus.CANCELED,
    PaymentStatus.SUCCEEDED: OrderStatus.PAID,
    PaymentStatus.PARTIALLY_REFUNDED: OrderStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED: OrderStatus.REFUNDED,
}


def compute_order_status(payments: Iterable[tuple[str, bool]]) -> OrderStatus:
    """The status an order has given its payments' (status, covers_order), newest first.

    Paid if a payment succeeded and covered the order (partially refunded or refunded if
    every such payment was, wholly or in part, refunded); processing if one is being processed
    (a newer attempt that its success closed must not hide it) or succeeded short of the
    order's cost (money moved: not payable again until staff sort it out); otherwise what the
    latest attempt still open says (failed, or open while it awaits payment: an expired
    Checkout Session must not show "canceled" beside a card form that can still pay), else
    the latest one's (canceled); open when there is none.
    """
    statuses = [(status, covers) for status, covers in payments]
    covering = {status for status, covers in statuses if covers and status in PAID_STATUSES}
    if covering:
        # Refunding a second payment of a paid order leaves it paid by the first.
        return next(_ORDER_STATUS_OF_PAYMENT[s] for s in PAID_STATUSES if s in covering)
    if any(status in _HOLDING_STATUSES for status, _covers in statuses):
        return OrderStatus.PROCESSING
    still_open = [status for status, _covers in statuses if status in OPEN_ATTEMPT_STATUSES]
    latest = still_open[0] if still_open else statuses[0][0] if statuses else None
    return _ORDER_STATUS_OF_PAYMENT[latest] if latest else OrderStatus.OPEN
