"""Payments, refunds and webhook events in the admin: read-only, since Stripe is where money
moves; a payment is refunded through Stripe from its page (`payments.admin_refunds`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.admin import OrderAdmin
from catalog.models import Order
from catalog.templatetags.shop import money
from payments.admin_actions import sync_with_stripe
from payments.admin_display import (
    build_dashboard_url,
    format_attention_note,
    format_short_id,
    format_short_time,
)
from payments.admin_refunds import PaymentRefundsMixin
from payments.models import Payment, Refund, StripeCoupon, StripeTaxRate, WebhookEvent
from payments.refunds import annotate_refunded_amount


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Payments staff must act on: paid twice, or short of the order's cost."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Payment]) -> QuerySet[Payment]:
        if self.value() == "yes":
            return queryset.exclude(attention="")
        if self.value() == "no":
            return queryset.filter(attention="")
        return queryset


@admin.register(Payment)
class PaymentAdmin(PaymentRefundsMixin, ReadOnlyAdmin):
    # The id's prefix (pi_, cs_) says the kind; the amount says any mismatch: the list fits
    # beside the admin's sidebar and filters at 1280 px.
    list_display = (
        "short_stripe_id",
        "order_link",
        "paid",
        "status",
        "attention_short",
        "created",
    )
    list_display_links = ("short_stripe_id",)
    list_filter = (NeedsAttentionFilter, "status", "kind", "account")
    search_fields = ("stripe_id", "stripe_payment_intent_id", "order__pk")
    list_select_related = ("order",)
    date_hierarchy = "created_at"
    actions = (sync_with_stripe,)
    # Minor units in raw form only confuse: the page shows them formatted with the currency.
    exclude = ("amount", "shop_amount")
    readonly_fields = ("paid", "refunded", "stripe_dashboard")

    @admin.display(description=_("order"), ordering="order")
    def order_link(self, payment: Payment) -> str:
        url = reverse("admin:catalog_order_change", args=[payment.order_id])
        return format_html('<a href="{}">{}</a>', url, payment.order)

    # Display columns of the list and the page: money with its currency, ids cut in the list.
    @admin.display(description=_("Stripe id"), ordering="stripe_id")
    def short_stripe_id(self, payment: Payment) -> str:
        return format_short_id(payment.stripe_id)

    @admin.display(description=_("amount"), ordering="amount")
    def paid(self, payment: Payment) -> str:
        """Stripe's amount; under it what was refunded, and the shop's own figure where they
        differ (one column, so the list with its action checkboxes fits at 1280 px)."""
        amount = money(int(payment.amount), payment.currency)
        notes = []
        if refunded := self.refunded(payment):
            notes.append(_("refunded %(amount)s") % {"amount": refunded})
        if payment.amount_mismatch:
            shop = money(int(payment.shop_amount), payment.currency)
            notes.append(_("shop: %(amount)s") % {"amount": shop})
        if not notes:
            return amount
        return format_html("{}<br><small>{}</small>", amount, "; ".join(notes))

    @admin.display(description=_("needs attention"), ordering="attention")
    def attention_short(self, payment: Payment) -> str:
        return format_attention_note(payment.attention)

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, payment: Payment) -> str:
        return format_short_time(payment.created_at)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Payment]:
        return annotate_refunded_amount(super().get_queryset(request))

    @admin.display(description=_("refunded"))
    def refunded(self, payment: Payment) -> str:
        given_back = int(payment.refunded_total)  # type: ignore[attr-defined]  # annotated
        return money(given_back, payment.currency) if given_back else ""

    @admin.display(description=_("Stripe Dashboard"))
    def stripe_dashboard(self, payment: Payment) -> str:
        url = build_dashboard_url(payment)
        if not url:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = (
        "short_stripe_id",
        "payment_link",
        "refund_amount",
        "status",
        "reason",
        "created",
    )
    list_display_links = ("short_stripe_id",)
    list_filter = ("status", "reason", "currency")
    search_fields = ("stripe_id", "payment__stripe_id", "payment__order__pk")
    list_select_related = ("payment",)
    date_hierarchy = "created_at"
    exclude = ("amount",)
    readonly_fields = ("refund_amount",)

    @admin.display(description=_("Stripe id"), ordering="stripe_id")
    def short_stripe_id(self, refund: Refund) -> str:
        return format_short_id(refund.stripe_id)

    @admin.display(description=_("payment"), ordering="payment")
    def payment_link(self, refund: Refund) -> str:
        url = reverse("admin:payments_payment_change", args=[refund.payment_id])
        return format_html('<a href="{}">{}</a>', url, format_short_id(refund.payment.stripe_id))

    @admin.display(description=_("amount"), ordering="amount")
    def refund_amount(self, refund: Refund) -> str:
        return money(int(refund.amount), refund.currency)

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, refund: Refund) -> str:
        return format_short_time(refund.created_at)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("short_event_id", "type", "account", "short_object_id", "received")
    list_filter = ("type", "account")
    search_fields = ("event_id", "stripe_object_id")
    date_hierarchy = "received_at"

    @admin.display(description=_("event id"), ordering="event_id")
    def short_event_id(self, event: WebhookEvent) -> str:
        return format_short_id(event.event_id)

    @admin.display(description=_("object id"), ordering="stripe_object_id")
    def short_object_id(self, event: WebhookEvent) -> str:
        return format_short_id(event.stripe_object_id)

    @admin.display(description=_("received"), ordering="received_at")
    def received(self, event: WebhookEvent) -> str:
        return format_short_time(event.received_at)


@admin.register(StripeCoupon)
class StripeCouponAdmin(ReadOnlyAdmin):
    list_display = ("stripe_id", "discount", "account", "fingerprint", "created_at")
    list_filter = ("account",)
    search_fields = ("stripe_id", "discount__name")
    list_select_related = ("discount",)


@admin.register(StripeTaxRate)
class StripeTaxRateAdmin(ReadOnlyAdmin):
    list_display = ("stripe_id", "tax", "account", "fingerprint", "created_at")
    list_filter = ("account",)
    search_fields = ("stripe_id", "tax__display_name")
    list_select_related = ("tax",)


# The catalog's Order admin with payments' "Sync with Stripe" action: payments extends the
# catalog here, since the catalog never imports payments.
admin.site.unregister(Order)


@admin.register(Order)
class OrderWithPaymentsAdmin(OrderAdmin):
    actions = (sync_with_stripe,)
