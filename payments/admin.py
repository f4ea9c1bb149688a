"""Payments and webhook events in the admin: read-only, since Stripe is where money moves."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from payments.admin_actions import sync_with_stripe
from payments.models import Payment, StripeCoupon, StripeTaxRate, WebhookEvent


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
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "stripe_id",
        "order_link",
        "kind",
        "account",
        "amount",
        "amount_mismatch",
        "currency",
        "status",
        "attention",
        "created_at",
        "updated_at",
    )
    list_filter = (NeedsAttentionFilter, "status", "kind", "account")
    search_fields = ("stripe_id", "stripe_payment_intent_id", "order__pk")
    list_select_related = ("order",)
    date_hierarchy = "created_at"
    actions = (sync_with_stripe,)

    @admin.display(description=_("order"), ordering="order")
    def order_link(self, payment: Payment) -> str:
        url = reverse("admin:catalog_order_change", args=[payment.order_id])
        return format_html('<a href="{}">{}</a>', url, payment.order)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "type", "account", "stripe_object_id", "received_at")
    list_filter = ("type", "account")
    search_fields = ("event_id", "stripe_object_id")
    date_hierarchy = "received_at"


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
