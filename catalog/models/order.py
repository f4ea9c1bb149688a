"""Orders of several items in one currency, their lines and statuses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog.models.amounts import build_supported_currency_condition
from catalog.models.item import Item
from catalog.models.pricing import Discount, Tax
from catalog.money import CURRENCY_CHOICES, to_minor_units
from catalog.payment_links import holds_payment_link

# A buyer never needs more; it also keeps line subtotals well inside Stripe's maximum.
MAX_QUANTITY = 999

# Marks the demo data command's sample order; real session keys are 32 random characters, so
# no buyer's matches.
DEMO_SESSION_KEY = "demo"


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PROCESSING = "processing", _("Processing")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELED = "canceled", _("Canceled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


# The buyer's money was taken (some or all of it may have been given back since).
PAID_ORDER_STATUSES = frozenset(
    {OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED}
)

# Nothing was charged and nothing is in flight: the order may be paid (again). A canceled
# order is one whose last attempt was canceled or expired unpaid, so it can be paid too.
PAYABLE_ORDER_STATUSES = frozenset({OrderStatus.OPEN, OrderStatus.FAILED, OrderStatus.CANCELED})


class OrderQuerySet(models.QuerySet["Order"]):
    def with_lines(self) -> OrderQuerySet:
        """Load discount, tax, lines and their items in a fixed number of queries."""
        return self.select_related("discount", "tax").prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("item").order_by("pk"))
        )


class Order(models.Model):
    """Several items bought together and paid as one payment in one currency."""

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    discount = models.ForeignKey(
        Discount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("discount"),
    )
    tax = models.ForeignKey(
        Tax,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("tax rate"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    session_key = models.CharField(
        _("session key"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("The buyer's session that created the order."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = (
            models.CheckConstraint(
                condition=build_supported_currency_condition("currency"),
                name="catalog_order_currency_supported",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="catalog_order_status_valid"
            ),
        )

    def __str__(self) -> str:
        if self._state.adding:
            return str(_("New order"))
        return str(_("Order #%(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        """The order's page (the admin's "View on site"; buyers need their session or link)."""
        return reverse("catalog:order_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        discount = self.discount
        if (
            discount is not None
            and discount.amount_off is not None
            and (discount.currency != self.currency)
        ):
            raise ValidationError(
                {
                    "discount": _("This discount is in %(discount)s; the order is in %(order)s.")
                    % {"discount": discount.currency.upper(), "order": self.currency.upper()}
                }
            )

    @property
    def is_payable(self) -> bool:
        """Whether a payment may start: not paid, and no payment being processed."""
        return self.status in PAYABLE_ORDER_STATUSES

    def is_visible_to(self, *, session_key: str | None, is_staff: bool) -> bool:
        """Whether a visitor may see and pay this order.

        The browser session that placed it and staff may, and a session that opened the
        order's live payment link (`catalog.payment_links`). Only the demo data's sample order
        is public; an order made in the admin is for staff and link holders alone, since order
        numbers are sequential and anyone could otherwise open and pay it.
        """
        if is_staff or self.session_key == DEMO_SESSION_KEY:
            return True
        if not session_key:
            return False
        if self.session_key:
            return self.session_key == session_key
        return holds_payment_link(order_id=self.pk, session_key=session_key)


class OrderLine(models.Model):
    """A quantity of one item in an order."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("item")
    )
    quantity = models.PositiveIntegerField(
        _("quantity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)],
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=12,
        decimal_places=2,
        editable=False,
        help_text=_(
            "The item's price when the line was added, in the order's currency; a later change"
            " of the item's price does not change orders already placed."
        ),
    )

    class Meta:
        ordering = ("pk",)
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = (
            models.UniqueConstraint(fields=["order", "item"], name="catalog_orderline_unique_item"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="catalog_orderline_quantity_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item}"  # noqa: RUF001

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A line added in the admin (or with .create()) takes the item's current price.
        if getattr(self, "unit_price", None) is None:
            self.unit_price = self.item.price
        super().save(*args, **kwargs)

    @property
    def unit_price_minor(self) -> int:
        """The line's unit price in integer minor units of the order's currency."""
        return to_minor_units(self.unit_price, self.order.currency)

    def clean(self) -> None:
        super().clean()
        try:
            order, item = self.order, self.item
        except ObjectDoesNotExist:
            return  # the field validation reports the missing one
        if item.currency != order.currency:
            raise ValidationError(
                {
                    "item": _(
                        "An order holds one currency only: %(item)s is priced in %(item_currency)s,"
                        " this order is in %(order_currency)s."
                    )
                    % {
                        "item": item.name,
                        "item_currency": item.currency.upper(),
                        "order_currency": order.currency.upper(),
                    }
                }
            )
