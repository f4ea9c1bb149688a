"""Which Stripe coupon or tax rate stands for a Discount or Tax in each account (the Stripe
objects Checkout sessions name), kept apart from the payment records in `payments.models`."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeMapping(models.Model):
    """A Stripe object standing for a shop row in one account, for one set of its values.

    Stripe coupons and tax rates can't change their amounts, so an edited Discount or Tax gets
    a new row (a new fingerprint) and a new Stripe object; the old row stays for the sessions
    that used it.
    """

    account = models.CharField(
        _("Stripe account"), max_length=3, help_text=_("The currency whose account holds it.")
    )
    stripe_id = models.CharField(_("Stripe id"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.stripe_id} ({self.account})"


class StripeCoupon(StripeMapping):
    """The Stripe coupon of a Discount in one account, for one set of its values."""

    discount = models.ForeignKey(
        "catalog.Discount",
        on_delete=models.CASCADE,
        related_name="stripe_coupons",
        verbose_name=_("discount"),
    )
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        help_text=_("Digest of the values sent to Stripe (name, percent or amount off)."),
    )

    class Meta(StripeMapping.Meta):
        verbose_name = _("Stripe coupon")
        verbose_name_plural = _("Stripe coupons")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["discount", "account", "fingerprint"], name="stripe_coupon_once"
            )
        ]


class StripeTaxRate(StripeMapping):
    """The Stripe tax rate of a Tax in one account, for one set of its values."""

    tax = models.ForeignKey(
        "catalog.Tax",
        on_delete=models.CASCADE,
        related_name="stripe_tax_rates",
        verbose_name=_("tax rate"),
    )
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        help_text=_("Digest of the values sent to Stripe (name, percentage, inclusive)."),
    )

    class Meta(StripeMapping.Meta):
        verbose_name = _("Stripe tax rate")
        verbose_name_plural = _("Stripe tax rates")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tax", "account", "fingerprint"], name="stripe_tax_rate_once"
            )
        ]
