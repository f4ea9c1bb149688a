"""What changes an order's total: discounts (coupons) and tax rates."""

from __future__ import annotations

from contextlib import suppress
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.currencies import offered_currency_choices
from catalog.language import get_active_language
from catalog.models.amounts import (
    build_chargeable_condition,
    build_supported_currency_condition,
    find_amount_error,
    format_percent,
)
from catalog.money import SUPPORTED_CURRENCIES, format_money, to_minor_units


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
                condition=Q(amount_off__isnull=True) | build_chargeable_condition("amount_off"),
                name="catalog_discount_amount_chargeable",
            ),
            models.CheckConstraint(
                condition=build_supported_currency_condition("currency", blank=True),
                name="catalog_discount_currency_supported",
            ),
        )

    def __str__(self) -> str:
        if self.percent_off is not None:
            return str(
                _("%(name)s (%(percent)s%% off)")
                % {"name": self.name, "percent": format_percent(self.percent_off)}
            )
        amount = f"{self.amount_off} {self.currency.upper()}"
        if self.amount_off is not None and self.currency in SUPPORTED_CURRENCIES:
            with suppress(ValueError):  # an invalid, unsaved amount is shown as typed
                minor = to_minor_units(self.amount_off, self.currency)
                amount = format_money(minor, self.currency, get_active_language())
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
            problem = find_amount_error(amount, self.currency)
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
        return f"{self.display_name} {format_percent(self.percentage)}% ({kind})"

    @property
    def label(self) -> str:
        """The rate as Stripe Checkout names it: "Sales tax (8.25%)", "VAT (20% included)"."""
        values = {"name": self.display_name, "percent": format_percent(self.percentage)}
        if self.inclusive:
            return str(_("%(name)s (%(percent)s%% included)") % values)
        return str(_("%(name)s (%(percent)s%%)") % values)

    def clean(self) -> None:
        super().clean()
        if self.percentage is not None and not 0 < self.percentage <= 100:
            raise ValidationError(
                {"percentage": _("The percentage must be more than 0 and at most 100.")}
            )
