"""What an order's idempotency keys are made of, beside its number: a random nonce and the count
of creates that failed at Stripe. Payments' bookkeeping, so it lives here, one row per order
that ever asked Stripe for a payment, rather than on the catalog's Order."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from catalog.models import Order
from payments.row_writes import insert_row


class OrderKeys(models.Model):
    """The parts of an order's idempotency keys (https://docs.stripe.com/api/idempotent_requests)
    that its number and content do not give."""

    order = models.OneToOneField(
        Order,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="payment_keys",
        verbose_name=_("order"),
    )
    nonce = models.UUIDField(
        _("payment nonce"),
        default=uuid.uuid4,
        editable=False,
        help_text=_(
            "Random, made when the order first asks Stripe for a payment. Part of every"
            " idempotency key the order's payments send to Stripe, so another database (a review"
            " app, a fresh install) whose order has the same number never gets this order's"
            " Stripe objects back."
        ),
    )
    failed_creates = models.PositiveIntegerField(
        _("failed payment creations"),
        default=0,
        editable=False,
        help_text=_(
            "How many times creating a payment for this order failed at Stripe. Part of the next"
            " creation's idempotency key, so Stripe's stored error is not replayed."
        ),
    )

    class Meta:
        verbose_name = _("order's idempotency keys")
        verbose_name_plural = _("orders' idempotency keys")

    def __str__(self) -> str:
        return str(self.order)


def get_order_keys(order: Order) -> OrderKeys:
    """The order's keys, made with a fresh nonce the first time it asks Stripe for a payment,
    and kept on `order.payment_keys` for the next ask."""
    try:
        return order.payment_keys
    except OrderKeys.DoesNotExist:
        if Order.payment_keys.is_cached(order):
            # Read with the order's row lock (`payments.locks.lock_buyer_order`), which every
            # maker of keys holds: there is none, and none can be made meanwhile.
            keys = OrderKeys(order=order)
            insert_row(keys)
        else:
            keys, _made = OrderKeys.objects.get_or_create(order=order)
        order.payment_keys = keys
        return keys


def add_failed_create(order: Order) -> None:
    """Count one more failed create for the order, in the database and on `order.payment_keys`."""
    keys = get_order_keys(order)
    OrderKeys.objects.filter(pk=keys.pk).update(failed_creates=F("failed_creates") + 1)
    keys.failed_creates += 1
