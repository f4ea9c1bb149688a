"""The catalog's tables: items for sale, discounts, tax rates and orders of several items.

Every rule Stripe would enforce (positive amounts, the currency's decimal places, Stripe's
maximum, one currency per order) is checked in `clean()` with a message for the form, and the
rules that need no join are CheckConstraints too, so bad rows cannot arrive by another road.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from catalog.currencies import offered_currency_choices
from catalog.language import active_language
from catalog.money import (
    CURRENCY_CHOICES,
    MAXIMUM_AMOUNT,
    SUPPORTED_CURRENCIES,
    exponent,
    format_money,
    from_minor_units,
    to_minor_units,
)

# Importing it here also registers its two models with this app.
from catalog.payment_links import holds_payment_link

# A buyer never needs more; it also keeps line subtotals well inside Stripe's maximum.
MAX_QUANTITY = 999

# Marks the demo data command's sample order; real session keys are 32 random characters, so
# no buyer's matches.
DEMO_SESSION_KEY = "demo"


def amount_error(value: Decimal, currency: str) -> str | None:
    """Say why `value` (major units, already > 0) cannot be charged in `currency`, or None."""
    try:
        minor = to_minor_units(value, currency)
    except ValueError:
        if exponent(currency) == 0:
            return str(
                _("%(currency)s has no minor unit: use a whole number.")
                % {"currency": currency.upper()}
            )
        return str(
            _("%(currency)s amounts have at most %(places)d decimal places.")
            % {"currency": currency.upper(), "places": exponent(currency)}
        )
    if minor > MAXIMUM_AMOUNT[currency]:
        return str(
            _("Stripe accepts at most %(maximum)s %(currency)s.")
            % {
                "maximum": from_minor_units(MAXIMUM_AMOUNT[currency], currency),
                "currency": currency.upper(),
            }
        )
    return None


def percent_text(value: Decimal) -> str:
    """Show a percentage without trailing zeros, in the active language's digits:
    10.00 -> "10", 8.2500 -> "8.25" (Russian: "8,25")."""
    return number_format(Decimal(format(value.normalize(), "f")), use_l10n=True)


def _chargeable(field: str) -> Q:
    """Database mirror of amount_error: whole units where there is no minor unit, ≤ maximum."""
    condition = Q()
    for code in SUPPORTED_CURRENCIES:
        rule = Q(**{f"{field}__lte": from_minor_units(MAXIMUM_AMOUNT[code], code)})
        if exponent(code) == 0:
            rule &= Q(**{field: Floor(field)})
        condition |= Q(currency=code) & rule
    return condition


def _supported_currency(field: str, *, blank: bool = False) -> Q:
    condition = Q(**{f"{field}__in": SUPPORTED_CURRENCIES})
    return condition | Q(**{field: ""}) if blank else condition


class Item(models.Model):
    """Something for sale, priced in one currency."""

    # Named so the type checker knows it: django-modeltranslation swaps in its own manager
    # class (same API, language-aware) at start-up.
    objects: ClassVar[models.Manager[Item]]

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(
        _("price"),
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "Price of one unit in major units of the currency (19.99 for $19.99); "
            "a whole number for JPY."
        ),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=offered_currency_choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("name", "pk")
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = (
            models.CheckConstraint(condition=Q(price__gt=0), name="catalog_item_price_positive"),
            models.CheckConstraint(
                condition=_supported_currency("currency"), name="catalog_item_currency_supported"
            ),
            models.CheckConstraint(
                condition=_chargeable("price"), name="catalog_item_price_chargeable"
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def price_minor(self) -> int:
        """The price in integer minor units of the item's currency (what Stripe is sent)."""
        return to_minor_units(self.price, self.currency)

    def clean(self) -> None:
        super().clean()
        if self.price is None or self.currency not in SUPPORTED_CURRENCIES:
            return  # the field validation already reports these
        if self.price <= 0:
            raise ValidationError({"price": _("The price must be greater than zero.")})
        problem = amount_error(self.price, self.currency)
        if problem:
            raise ValidationError({"price": problem})
        # Orders hold one currency: an item already ordered keeps the currency it was sold in.
        if self._state.adding:
            return
        other = (
            OrderLine.objects.filter(item_id=self.pk)
            .exclude(order__currency=self.currency)
            .values_list("order__currency", flat=True)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "currency": _(
                        "Orders in %(currency)s contain this item, so its currency cannot change."
                        " Add a new item instead."
                    )
                    % {"currency": other.upper()}
                }
            )


class Discount(models.Model):
    """A coupon for a whole order: a percentage off, or a fixed amount off in one currency."""

    # Named so the type checker knows it: django-modeltranslation swaps in its own manager
    # class (same API, language-aware) at start-up.
    objects: ClassVar[models.Manager[Discount]]

    name = models.CharField(_("name"), max_length=100)
    percent_off = models.DecimalField(
        _("percent off"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Percent taken off the subtotal, e.g. 10 for 10%. Empty for an amount off."),
    )
    amount_off = models.DecimalField(
        _("amount off"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Amount taken off the subtotal, in major units of the currency below. "
            "Empty for a percent off."
        ),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=offered_currency_choices,
        blank=True,
        help_text=_("Required for an amount off; empty for a percent off (any currency)."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive discounts cannot be used on new orders.")
    )

    class Meta:
        ordering = ("name", "pk")
        verbose_name = _("discount")
        verbose_name_plural = _("discounts")
        constraints = (
            models.CheckConstraint(
                condition=Q(percent_off__isnull=False, amount_off__isnull=True)
                | Q(percent_off__isnull=True, amount_off__isnull=False),
                name="catalog_discount_percent_xor_amount",
            ),
            models.CheckConstraint(
                condition=Q(percent_off__isnull=True) | Q(percent_off__gt=0, percent_off__lte=100),
                name="catalog_discount_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_off__isnull=True) | (Q(amount_off__gt=0) & ~Q(currency="")),
                name="catalog_discount_amount_positive_with_currency",
            ),
            models.CheckConstraint(
                condition=Q(percent_off__isnull=True) | Q(currency=""),
                name="catalog_discount_percent_without_currency",
            ),
            models.CheckConstraint(
                condition=Q(amount_off__isnull=True) | _chargeable("amount_off"),
                name="catalog_discount_amount_chargeable",
            ),
            models.CheckConstraint(
                condition=_supported_currency("currency", blank=True),
                name="catalog_discount_currency_supported",
            ),
        )

    def __str__(self) -> str:
        if self.percent_off is not None:
            return str(
                _("%(name)s (%(percent)s%% off)")
                % {"name": self.name, "percent": percent_text(self.percent_off)}
            )
        amount = f"{self.amount_off} {self.currency.upper()}"
        if self.amount_off is not None and self.currency in SUPPORTED_CURRENCIES:
            with suppress(ValueError):  # an invalid, unsaved amount is shown as typed
                minor = to_minor_units(self.amount_off, self.currency)
                amount = format_money(minor, self.currency, active_language())
        return str(_("%(name)s (%(amount)s off)") % {"name": self.name, "amount": amount})

    def clean(self) -> None:
        super().clean()
        if (self.percent_off is None) == (self.amount_off is None):
            # On a field, not form-wide, so the database constraint is not reported twice.
            raise ValidationError(
                {"percent_off": _("Give either a percent off or an amount off (exactly one).")}
            )
        if self.percent_off is not None:
            self._clean_percent(self.percent_off)
        elif self.amount_off is not None:
            self._clean_amount(self.amount_off)

    def _clean_percent(self, percent: Decimal) -> None:
        if not 0 < percent <= 100:
            raise ValidationError(
                {"percent_off": _("The percent off must be more than 0 and at most 100.")}
            )
        if self.currency:
            raise ValidationError(
                {"currency": _("A percent off applies to any currency: leave the currency empty.")}
            )

    def _clean_amount(self, amount: Decimal) -> None:
        if amount <= 0:
            raise ValidationError({"amount_off": _("The amount off must be greater than zero.")})
        if not self.currency:
            raise ValidationError({"currency": _("An amount off needs a currency.")})
        if self.currency in SUPPORTED_CURRENCIES:
            problem = amount_error(amount, self.currency)
            if problem:
                raise ValidationError({"amount_off": problem})
        # An amount off only fits orders in its currency; orders already using it keep theirs.
        if not self._state.adding:
            other = (
                self.orders.exclude(currency=self.currency)
                .values_list("currency", flat=True)
                .first()
            )
            if other is not None:
                raise ValidationError(
                    {
                        "currency": _(
                            "Orders in %(currency)s use this discount, so an amount off must"
                            " stay in %(currency)s. Add a new discount instead."
                        )
                        % {"currency": other.upper()}
                    }
                )


class Tax(models.Model):
    """A tax rate applied to every line of an order, included in prices or added on top."""

    # Named so the type checker knows it: django-modeltranslation swaps in its own manager
    # class (same API, language-aware) at start-up.
    objects: ClassVar[models.Manager[Tax]]

    display_name = models.CharField(
        _("display name"), max_length=50, help_text=_("Shown to buyers, e.g. “VAT”.")
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=7,
        decimal_places=4,
        help_text=_("Percent out of 100, up to 4 decimal places, e.g. 20 or 8.25."),
    )
    inclusive = models.BooleanField(
        _("inclusive"),
        default=False,
        help_text=_("Ticked: prices already include this tax. Unticked: it is added on top."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("display_name", "pk")
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = (
            models.CheckConstraint(
                condition=Q(percentage__gt=0, percentage__lte=100),
                name="catalog_tax_percentage_range",
            ),
        )

    def __str__(self) -> str:
        kind = _("inclusive") if self.inclusive else _("exclusive")
        return f"{self.display_name} {percent_text(self.percentage)}% ({kind})"

    @property
    def label(self) -> str:
        """The rate as Stripe Checkout names it: "Sales tax (8.25%)", "VAT (20% included)"."""
        values = {"name": self.display_name, "percent": percent_text(self.percentage)}
        if self.inclusive:
            return str(_("%(name)s (%(percent)s%% included)") % values)
        return str(_("%(name)s (%(percent)s%%)") % values)

    def clean(self) -> None:
        super().clean()
        if self.percentage is not None and not 0 < self.percentage <= 100:
            raise ValidationError(
                {"percentage": _("The percentage must be more than 0 and at most 100.")}
            )


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
    failed_creates = models.PositiveIntegerField(
        _("failed payment creations"),
        default=0,
        editable=False,
        help_text=_(
            "How many times creating a payment for this order failed at Stripe. Part of the next"
            " creation's idempotency key, so Stripe's stored error is not replayed."
        ),
    )
    payment_nonce = models.UUIDField(
        _("payment nonce"),
        default=uuid.uuid4,
        editable=False,
        help_text=_(
            "Random, made with the order. Part of every idempotency key the order's payments"
            " send to Stripe, so another database (a review app, a fresh install) whose order"
            " has the same number never gets this order's Stripe objects back."
        ),
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
                condition=_supported_currency("currency"), name="catalog_order_currency_supported"
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
