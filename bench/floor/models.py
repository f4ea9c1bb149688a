"""The floor's tables: an item its page shows, a delivery its webhook records, and an order
with the payments its locked PaymentIntent view records."""

from typing import ClassVar

from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    # Declared: the type checker reads the shop's settings, where this app is not installed.
    objects: ClassVar[models.Manager["Item"]] = models.Manager()

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    objects: ClassVar[models.Manager["Delivery"]] = models.Manager()

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.event_id


class Order(models.Model):
    """What the locked floor pays: an amount, in one currency."""

    amount = models.PositiveIntegerField()  # minor units
    currency = models.CharField(max_length=3)
    objects: ClassVar[models.Manager["Order"]] = models.Manager()

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"Order {self.pk}"


class Payment(models.Model):
    """The PaymentIntent a create made for an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    intent_id = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    objects: ClassVar[models.Manager["Payment"]] = models.Manager()

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.intent_id
