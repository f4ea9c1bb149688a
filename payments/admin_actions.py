"""The admin's "Sync with Stripe" action, on orders and on payments: one reconciliation run
(`payments.reconcile`) over the selected rows' payments, as `reconcile_payments` does."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Order
from payments.models import Payment
from payments.reconcile import compute_abandon_cutoff, reconcile


@admin.action(description=gettext_lazy("Sync with Stripe"), permissions=["view"])
def sync_with_stripe(
    modeladmin: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    queryset: QuerySet[Any],
) -> None:
    """Ask Stripe about the selected orders' (or payments') payments and record what it says."""
    if queryset.model is Order:
        payments = Payment.objects.filter(order__in=queryset)
    else:
        payments = Payment.objects.filter(pk__in=queryset.values("pk"))
    outcome = reconcile(payments, abandon_before=compute_abandon_cutoff())
    for change in outcome.changes:
        modeladmin.message_user(request, str(change), messages.SUCCESS)
    summary = _(
        "Checked %(checked)d payments with Stripe: %(changed)d changed, %(skipped)d busy "
        "(try again shortly), %(failed)d could not be checked."
    ) % {
        "checked": outcome.checked,
        "changed": len(outcome.changes),
        "skipped": outcome.skipped,
        "failed": outcome.failed,
    }
    level = messages.WARNING if outcome.failed or outcome.skipped else messages.INFO
    modeladmin.message_user(request, summary, level)
