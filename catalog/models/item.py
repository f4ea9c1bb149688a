"""Items for sale, each priced in one currency."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.currencies import offered_currency_choices
from catalog.models.amounts import (
    build_chargeable_condition,
    build_supported_currency_condition,
    find_amount_error,
)
from catalog.money import SUPPORTED_CURRENCIES, to_minor_units


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
                condition=build_supported_currency_condition("currency"),
                name="catalog_item_currency_supported",
            ),
            models.CheckConstraint(
                condition=build_chargeable_condition("price"), name="catalog_item_price_chargeable"
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
        problem = find_amount_error(self.price, self.currency)
        if problem:
            raise ValidationError({"price": problem})
        # Orders hold one currency: an item already ordered keeps the currency it was sold in.
        if self._state.adding:
            return
        other = (
            self.order_lines.exclude(order__currency=self.currency)
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
