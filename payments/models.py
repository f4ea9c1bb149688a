"""What the shop knows about money that moved: one Payment per Stripe payment object, and every
webhook event received, stored once."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import Order


class PaymentStatus(models.TextChoices):
    REQUIRES_PAYMENT = "requires_payment", _("Awaiting payment")
    PROCESSING = "processing", _("Processing")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELED = "canceled", _("Canceled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


# Stripe delivers events late, twice and out of order, so a status only moves along these edges;
# anything else (a late `payment_failed` after `succeeded`, say) is ignored.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.REQUIRES_PAYMENT: frozenset(
        {
            PaymentStatus.PROCESSING,
            PaymentStatus.SUCCEEDED,
            PaymentStatus.FAILED,
            PaymentStatus.CANCELED,
        }
    ),
    PaymentStatus.FAILED: frozenset(
        {PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED}
    ),
    PaymentStatus.PROCESSING: frozenset(
        {PaymentStatus.SUCCEEDED, PaymentStatus.FAILED, PaymentStatus.CANCELED}
    ),
    # Refunds only add up: a refund that fails later leaves the status and flags the payment.
    PaymentStatus.SUCCEEDED: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.PARTIALLY_REFUNDED: frozenset({PaymentStatus.REFUNDED}),
    PaymentStatus.REFUNDED: frozenset(),
    PaymentStatus.CANCELED: frozenset(),
}

# A payment in these statuses took the buyer's money (some of it may have gone back).
PAID_STATUSES = (
    PaymentStatus.SUCCEEDED,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED,
)


class PaymentKind(models.TextChoices):
    PAYMENT_INTENT = "payment_intent", _("PaymentIntent (card form on the shop's page)")
    CHECKOUT_SESSION = "checkout_session", _("Checkout Session (Stripe's hosted page)")


class Payment(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PaymentKind.choices)
    account = models.CharField(
        _("Stripe account"),
        max_length=3,
        help_text=_("The currency whose Stripe account holds this payment."),
    )
    stripe_id = models.CharField(
        _("Stripe id"),
        max_length=255,
        unique=True,
        help_text=_("pi_… for a PaymentIntent, cs_… for a Checkout Session."),
    )
    stripe_payment_intent_id = models.CharField(
        _("Stripe PaymentIntent id"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("For Checkout Sessions: the PaymentIntent Stripe made when the buyer paid."),
    )
    amount = models.PositiveBigIntegerField(
        _("amount"), help_text=_("In the currency's minor unit (cents; yen for JPY).")
    )
    shop_amount = models.PositiveBigIntegerField(
        _("shop's computed amount"),
        help_text=_("What the shop computed for the order, in minor units, when this was created."),
    )
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PaymentStatus.choices,
        default=PaymentStatus.REQUIRES_PAYMENT,
    )
    request_digest = models.CharField(
        _("request digest"),
        max_length=64,
        blank=True,
        help_text=_(
            "SHA-256 of the amount and line items last sent to Stripe; a different digest "
            "means the order changed since."
        ),
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    failure_code = models.CharField(
        _("failure code"),
        max_length=100,
        blank=True,
        help_text=_("Stripe's decline code or error code of the last failure, e.g. card_declined."),
    )
    covers_order = models.BooleanField(
        _("covers the order"),
        default=True,
        help_text=_(
            "Unticked when Stripe received less than the order costs: the payment succeeded"
            " (money moved) but the order is not paid until staff sort it out."
        ),
    )
    attention = models.CharField(
        _("needs attention"),
        max_length=300,
        blank=True,
        help_text=_("What staff must do about this payment (refund a second payment, say)."),
    )
    # The receipt's "paid by" line, read from the succeeded charge (`payments.receipts`).
    card_brand = models.CharField(
        _("card brand"), max_length=20, blank=True, help_text=_("Stripe's word: visa, amex, …")
    )
    card_last4 = models.CharField(_("card last four digits"), max_length=4, blank=True)
    paid_at = models.DateTimeField(
        _("paid at"), null=True, blank=True, help_text=_("When Stripe made the charge.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints: ClassVar = [
            # The database's half of "one PaymentIntent per order" (the order row lock is the
            # other): an order has at most one PaymentIntent that can still be paid.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(
                    kind="payment_intent", status__in=["requires_payment", "failed"]
                ),
                name="payments_one_payable_intent_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stripe_id} ({self.get_status_display()})"

    @property
    def amount_mismatch(self) -> int:
        """Stripe's amount minus the shop's own figure; non-zero only if they disagree."""
        return int(self.amount) - int(self.shop_amount)

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]


class RefundStatus(models.TextChoices):
    """Stripe's own refund statuses (https://docs.stripe.com/api/refunds/object#refund_object-status)."""

    # In the "refund" context: a payment's "Succeeded" is not a refund's in Russian.
    PENDING = "pending", pgettext_lazy("refund", "Pending")
    REQUIRES_ACTION = "requires_action", pgettext_lazy("refund", "Requires action")
    SUCCEEDED = "succeeded", pgettext_lazy("refund", "Succeeded")
    FAILED = "failed", pgettext_lazy("refund", "Failed")
    CANCELED = "canceled", pgettext_lazy("refund", "Canceled")


# Refund events arrive late and out of order too. A succeeded refund can still fail (the card
# was closed, say); failed and canceled are final.
REFUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RefundStatus.PENDING: frozenset(
        {
            RefundStatus.REQUIRES_ACTION,
            RefundStatus.SUCCEEDED,
            RefundStatus.FAILED,
            RefundStatus.CANCELED,
        }
    ),
    RefundStatus.REQUIRES_ACTION: frozenset(
        {RefundStatus.PENDING, RefundStatus.SUCCEEDED, RefundStatus.FAILED, RefundStatus.CANCELED}
    ),
    RefundStatus.SUCCEEDED: frozenset({RefundStatus.FAILED}),
    RefundStatus.FAILED: frozenset(),
    RefundStatus.CANCELED: frozenset(),
}

# Refunds that hold (or may still send back) money of the payment: what is left to refund is
# what was paid less these.
COUNTED_REFUND_STATUSES = (
    RefundStatus.PENDING,
    RefundStatus.REQUIRES_ACTION,
    RefundStatus.SUCCEEDED,
)


class RefundReason(models.TextChoices):
    """The reasons Stripe accepts on a refund (`expired_uncaptured_charge` is Stripe's own)."""

    REQUESTED_BY_CUSTOMER = "requested_by_customer", _("Requested by the customer")
    DUPLICATE = "duplicate", _("Duplicate payment")
    FRAUDULENT = "fraudulent", _("Fraudulent")


class Refund(models.Model):
    """Money sent back for a payment, made in the shop's admin or in the Stripe Dashboard."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment")
    )
    stripe_id = models.CharField(_("Stripe id"), max_length=255, unique=True)
    amount = models.PositiveBigIntegerField(
        _("amount"), help_text=_("In the currency's minor unit (cents; yen for JPY).")
    )
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=20, choices=RefundStatus.choices)
    # Stripe's own reasons (expired_uncaptured_charge) are kept too; the choices are for labels.
    reason = models.CharField(_("reason"), max_length=40, blank=True, choices=RefundReason.choices)
    failure_reason = models.CharField(_("failure reason"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.stripe_id} ({self.get_status_display()})"

    def can_move_to(self, status: str) -> bool:
        return status in REFUND_TRANSITIONS[self.status]


class WebhookEvent(models.Model):
    """Every event Stripe delivered, stored once by (account, id) so a redelivery does nothing."""

    account = models.CharField(_("Stripe account"), max_length=3)
    event_id = models.CharField(_("event id"), max_length=255)
    type = models.CharField(_("type"), max_length=100)
    stripe_object_id = models.CharField(_("object id"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-received_at", "-pk"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["account", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


# Models kept in modules of their own, registered with this app by being imported here.
from payments.order_keys import OrderKeys as OrderKeys  # noqa: E402
from payments.stripe_mappings import StripeCoupon as StripeCoupon  # noqa: E402
from payments.stripe_mappings import StripeTaxRate as StripeTaxRate  # noqa: E402
