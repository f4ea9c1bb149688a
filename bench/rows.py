"""The shop's rows the floor part needs: orders to pay, the PaymentIntents their payments hold,
and the exactly-once check after each event was delivered twice."""

from __future__ import annotations

from typing import Any


def new_orders(item_id: int, count: int) -> list[int]:
    """`count` new one-line orders of the item, placed by the test buyer's session."""
    from catalog.models import Item
    from catalog.tests.factories import make_order

    item = Item.objects.get(pk=item_id)
    return [make_order(lines=[(item, 1)]).pk for _ in range(count)]


def intents_of(order_ids: list[int]) -> list[dict[str, Any]]:
    """Each order's card payment as a `succeeded_event` needs it (orders without one left out)."""
    from payments.models import Payment

    rows = Payment.objects.filter(order_id__in=order_ids).exclude(stripe_id="")
    return [
        {"intent_id": stripe_id, "amount": amount, "currency": currency, "order_id": order_id}
        for stripe_id, amount, currency, order_id in rows.values_list(
            "stripe_id", "amount", "currency", "order_id"
        )
    ]


def check_once(order_ids: list[int], floor_rows: int) -> str:
    """What the deliveries of this round left: one event row, one succeeded payment and one
    paid order per event in the shop, however often it was delivered."""
    from catalog.models import Order, OrderStatus
    from payments.models import Payment, PaymentStatus, WebhookEvent

    payments = Payment.objects.filter(order_id__in=order_ids)
    intents = list(payments.exclude(stripe_id="").values_list("stripe_id", flat=True))
    events = WebhookEvent.objects.filter(
        type="payment_intent.succeeded", stripe_object_id__in=intents
    ).count()
    succeeded = payments.filter(status=PaymentStatus.SUCCEEDED).count()
    paid = Order.objects.filter(pk__in=order_ids, status=OrderStatus.PAID).count()
    verdict = "exactly once" if events == succeeded == paid == len(intents) else "NOT exactly once"
    return (
        f"{len(intents)} events x 2 deliveries: {events} event rows, {succeeded} payments "
        f"succeeded, {paid} orders paid ({verdict}); floor stored {floor_rows} deliveries"
    )
