"""Refunding a payment from its admin page: a form for the amount (in major units, as the owner
thinks of it) and the reason, and a one-click refund of a payment that paid an order twice."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.money import from_minor_units, to_minor_units
from catalog.templatetags.shop import money
from payments.exceptions import PaymentError
from payments.models import Payment, RefundReason
from payments.refunds import compute_refundable_amount, is_paid_twice, refund_payment

REFUND_PERMISSION = "payments.add_refund"


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to refund"), min_value=Decimal(0), max_digits=14
    )
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RefundReason.choices)
    # Made when the form is shown and sent as the refund's idempotency key: submitting the
    # same form twice asks Stripe for one refund.
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].help_text = _("In %(currency)s, e.g. 12.50.") % {
            "currency": currency.upper()
        }

    def clean_amount(self) -> int:
        """The amount in the currency's minor units, converted exactly (never rounded)."""
        try:
            return to_minor_units(self.cleaned_data["amount"], self.currency)
        except ValueError as error:
            raise forms.ValidationError(
                _("%(currency)s has no amounts that small.") % {"currency": self.currency.upper()}
            ) from error


def build_initial_form_data(
    payment: Payment, reason: str = RefundReason.REQUESTED_BY_CUSTOMER
) -> dict[str, Any]:
    """What the refund form starts with: all that is left, and a fresh idempotency key."""
    left = from_minor_units(compute_refundable_amount(payment), payment.currency)
    return {"amount": left, "reason": reason, "key": uuid.uuid4()}


class PaymentRefundsMixin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Adds `<id>/refund/` to the payment admin, and its buttons to the payment's page."""

    change_form_template = "admin/payments/payment/change_form.html"

    def get_urls(self) -> list[URLPattern]:
        refund = path(
            "<path:object_id>/refund/",
            self.admin_site.admin_view(self.refund_view),
            name="payments_payment_refund",
        )
        return [refund, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        payment = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if payment is not None and request.user.has_perm(REFUND_PERMISSION):
            context["refund_url"] = (
                reverse("admin:payments_payment_refund", args=[payment.pk])
                if compute_refundable_amount(payment)
                else ""
            )
            if is_paid_twice(payment):
                context["duplicate_refund"] = build_initial_form_data(
                    payment, RefundReason.DUPLICATE
                )
        return super().change_view(request, object_id, form_url, context)

    def refund_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm(REFUND_PERMISSION):
            raise PermissionDenied
        payment = self.get_object(request, object_id)
        if payment is None:
            raise Http404(_("No such payment."))
        if request.method == "POST":
            form = RefundForm(request.POST, currency=payment.currency)
            if form.is_valid() and self._refund(request, payment, form):
                change_url = reverse("admin:payments_payment_change", args=[payment.pk])
                return HttpResponseRedirect(change_url)
        else:
            form = RefundForm(initial=build_initial_form_data(payment), currency=payment.currency)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Refund %(payment)s") % {"payment": payment.stripe_id},
            "payment": payment,
            "form": form,
            "paid": money(int(payment.amount), payment.currency),
            "left": money(compute_refundable_amount(payment), payment.currency),
        }
        return TemplateResponse(request, "admin/payments/payment/refund.html", context)

    def _refund(self, request: HttpRequest, payment: Payment, form: RefundForm) -> bool:
        """Ask for the refund; Stripe's or the shop's refusal becomes the form's error."""
        try:
            refund = refund_payment(
                payment,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                key=str(form.cleaned_data["key"]),
            )
        except PaymentError as error:
            form.add_error(None, error.message)
            return False
        messages.success(
            request,
            _("Refund of %(amount)s: %(status)s.")
            % {
                "amount": money(int(refund.amount), refund.currency),
                "status": refund.get_status_display(),
            },
        )
        return True
