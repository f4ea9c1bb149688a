"""`{% order_refunds order %}`: what was given back of an order's payments, for its page."""

from __future__ import annotations

from typing import Any

from django import template

from catalog.models import PAID_ORDER_STATUSES, Order
from payments.models import COUNTED_REFUND_STATUSES, Refund, RefundStatus

register = template.Library()


@register.inclusion_tag("payments/_order_refunds.html")
def order_refunds(order: Order) -> dict[str, Any]:
    """The order's refunds that give money back (failed and canceled ones gave nothing).

    Only a paid order can have any, so other orders' pages make no query for them.
    """
    if order.status not in PAID_ORDER_STATUSES:
        return {"refunds": []}
    refunds = list(
        Refund.objects.filter(payment__order=order, status__in=COUNTED_REFUND_STATUSES).order_by(
            "created_at", "pk"
        )
    )
    return {
        "refunds": refunds,
        "total": sum(int(refund.amount) for refund in refunds),
        "currency": refunds[0].currency if refunds else order.currency,
        "succeeded": RefundStatus.SUCCEEDED,
    }
