"""The shop owner's admin: items, discounts, tax rates and orders with their lines and totals.

Names and descriptions buyers read are edited in English and Russian (`TranslationAdmin`,
catalog/translation.py).

Orders that are no longer open are shown read-only: their lines, discount and tax are what the
buyer paid (or tried to pay) for, and status moves only through the payments code. The
catalog never imports payments: whether a payment is under way it asks through
`catalog.payment_hooks`, and payments adds its "Sync with Stripe" action to the Order admin
itself (`payments.admin`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from catalog.language import get_active_language
from catalog.models import Discount, Item, Order, OrderLine, OrderStatus, Tax
from catalog.money import format_money
from catalog.payment_hooks import filter_orders_being_paid
from catalog.payment_links import (
    PaymentLink,
    PaymentLinkError,
    create_payment_link,
    revoke_payment_link,
)
from catalog.services import count_unsellable_items
from catalog.totals import compute_order_totals


def _money(minor: int, currency: str) -> str:
    return format_money(minor, currency, get_active_language())


def _is_locked(order: Order | None) -> bool:
    """Whether the order's lines, discount and tax are frozen: it is no longer open, or a
    payment of it awaits the buyer, is processing or succeeded (editing would charge, or
    have charged, another figure than the order then shows)."""
    if order is None or order._state.adding:
        return False
    return (
        order.status != OrderStatus.OPEN
        or filter_orders_being_paid(Order.objects.filter(pk=order.pk)).exists()
    )


def _locks_orders(orders: QuerySet[Order]) -> bool:
    """Whether a Discount or Tax used by `orders` must keep its values (as `_is_locked`)."""
    return (
        orders.exclude(status=OrderStatus.OPEN).exists()
        or filter_orders_being_paid(orders).exists()
    )


def _warn_unsellable_items(request: HttpRequest) -> None:
    counts = count_unsellable_items()
    if counts:
        figures = ", ".join(
            _("%(count)d in %(currency)s") % {"count": count, "currency": currency.upper()}
            for currency, count in counts.items()
        )
        messages.warning(
            request,
            _(
                "Items left out of the catalog (%(figures)s): their currency has no Stripe"
                " account configured, so they cannot be paid."
            )
            % {"figures": figures},
        )


@admin.register(Item)
class ItemAdmin(TranslationAdmin):  # type: ignore[type-arg]  # not subscriptable at runtime
    list_display = ("name", "formatted_price", "currency", "updated_at")
    list_filter = ("currency",)
    search_fields = ("name", "description")
    readonly_fields = ("created_at", "updated_at")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        _warn_unsellable_items(request)
        return super().changelist_view(request, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            _warn_unsellable_items(request)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("price"), ordering="price")
    def formatted_price(self, item: Item) -> str:
        return _money(item.price_minor, item.currency)


@admin.register(Discount)
class DiscountAdmin(TranslationAdmin):  # type: ignore[type-arg]  # not subscriptable at runtime
    list_display = ("name", "percent_off", "amount_off", "currency", "active")
    list_filter = ("active", "currency")
    search_fields = ("name",)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Discount | None = None
    ) -> tuple[str, ...]:
        # Paid and failed orders keep showing the discount they were priced with.
        if obj is not None and _locks_orders(obj.orders.all()):
            return ("percent_off", "amount_off", "currency")
        return ()


@admin.register(Tax)
class TaxAdmin(TranslationAdmin):  # type: ignore[type-arg]  # not subscriptable at runtime
    list_display = ("display_name", "percentage", "inclusive")
    list_filter = ("inclusive",)
    search_fields = ("display_name", "description")

    def get_readonly_fields(self, request: HttpRequest, obj: Tax | None = None) -> tuple[str, ...]:
        if obj is not None and _locks_orders(obj.orders.all()):
            return ("percentage", "inclusive")
        return ()


class OrderLineInline(admin.TabularInline):  # type: ignore[type-arg]  # as above
    model = OrderLine
    extra = 1
    min_num = 1  # an order with no lines has nothing to pay for
    autocomplete_fields = ("item",)
    readonly_fields = ("unit_price",)

    def get_formset(self, request: HttpRequest, obj: Order | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("validate_min", True)  # min_num alone only shows blank forms
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("unit price"))
    def unit_price(self, line: OrderLine) -> str:
        if line._state.adding:  # the blank form for a new line
            return "—"
        return _money(line.unit_price_minor, line.order.currency)

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return not _is_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return not _is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return not _is_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at runtime
    list_display = ("__str__", "status", "currency", "formatted_total", "created_at")
    list_filter = ("status", "currency", "created_at")
    search_fields = ("=id", "session_key", "lines__item__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("discount", "tax")
    inlines = (OrderLineInline,)
    fields = (
        "currency",
        "discount",
        "tax",
        "status",
        "session_key",
        "buyer_link",
        "totals",
        "created_at",
    )

    class Media:
        js = ("js/admin_payment_link.js",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return Order.objects.with_lines().select_related("payment_link")

    def get_readonly_fields(self, request: HttpRequest, obj: Order | None = None) -> list[str]:
        readonly = ["status", "session_key", "buyer_link", "totals", "created_at"]
        if _is_locked(obj):
            readonly += ["currency", "discount", "tax"]
        return readonly

    def save_model(self, request: HttpRequest, obj: Order, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change and not obj.session_key:
            create_payment_link(obj)  # an order made here is paid through its link

    def response_change(self, request: HttpRequest, obj: Order) -> HttpResponse:
        # The buttons of the payment link field submit the change form under these names.
        if "_create_payment_link" in request.POST:
            try:
                create_payment_link(obj)
            except PaymentLinkError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("The payment link is ready to send."))
        elif "_revoke_payment_link" in request.POST and revoke_payment_link(obj):
            self.message_user(
                request, _("The payment link is revoked: it now leads nowhere."), messages.WARNING
            )
        return super().response_change(request, obj)

    @admin.display(description=_("payment link"))
    def buyer_link(self, order: Order) -> str:
        if order._state.adding:
            return str(_("Made when the order is saved."))
        if order.session_key:
            return str(_("None: an order placed from a cart is private to its buyer."))
        try:
            link: PaymentLink = order.payment_link
        except PaymentLink.DoesNotExist:
            return format_html(
                '<button type="submit" class="button" name="_create_payment_link">{}</button>',
                _("Create a payment link"),
            )
        return format_html(
            '<input type="text" readonly class="vTextField" size="70" id="payment-link-url"'
            ' value="{}" data-absolute-url> '
            '<button type="button" class="button" data-copy="payment-link-url"'
            ' data-copied="{}">{}</button> '
            '<button type="submit" class="button" name="_revoke_payment_link">{}</button>'
            '<div class="help">{}</div>',
            reverse("catalog:payment_link", args=[link.token]),
            _("Copied"),
            _("Copy"),
            _("Revoke"),
            _("Whoever has this link can see and pay this order, and nothing else."),
        )

    @admin.display(description=_("total"))
    def formatted_total(self, order: Order) -> str:
        return _money(compute_order_totals(order).total, order.currency)

    @admin.display(description=_("totals"))
    def totals(self, order: Order) -> str:
        if order._state.adding:
            return "—"
        figures = compute_order_totals(order)
        rows: list[tuple[Any, str]] = [
            (_("Subtotal"), _money(figures.subtotal, order.currency)),
            (_("Discount"), _money(-figures.discount, order.currency)),
            (_("Tax"), _money(figures.tax, order.currency)),
            (_("Total"), _money(figures.total, order.currency)),
        ]
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at runtime
    """Lines across orders, to see what sold; edited only through their order."""

    list_display = ("order", "item", "quantity")
    list_filter = ("order__status", "order__currency")
    search_fields = ("item__name", "=order__id")
    list_select_related = ("order", "item")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OrderLine | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OrderLine | None = None) -> bool:
        return False
