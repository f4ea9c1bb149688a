"""`{% card_form item=… %}` / `{% card_form order=… %}`: the on-page card form's script and
settings, for the page's `{% block scripts %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

from catalog.models import Item, Order
from payments.failure_messages import get_failure_message as messages_by_code
from payments.models import Payment
from payments.receipts import format_brand_name
from payments.site_url import build_absolute_url

register = template.Library()


@register.inclusion_tag("payments/_card_form.html", takes_context=True)
def card_form(
    context: dict[str, Any], *, item: Item | None = None, order: Order | None = None
) -> dict[str, Any]:
    """The card form for buying `item` (as a one-line order) or paying `order`."""
    if (item is None) == (order is None):
        raise template.TemplateSyntaxError("card_form takes exactly one of item= and order=")
    if item is not None:
        intent_url = reverse("payments:item_payment_intent", args=[item.pk])
        checkout_url = reverse("payments:buy_item", args=[item.pk])
    else:
        assert order is not None
        intent_url = reverse("payments:order_payment_intent", args=[order.pk])
        checkout_url = reverse("payments:buy_order", args=[order.pk])
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "intent_url": intent_url,
        "checkout_url": checkout_url,
        "return_url": build_absolute_url(reverse("payments:result")),  # never the request's Host
        "stripe_js_url": settings.STRIPE_JS_URL,
    }


@register.filter
def failure_message(payment: Payment) -> str:
    """Why `payment` failed, in the page's language (`payments.failure_messages`)."""
    return messages_by_code(payment.failure_code)


@register.filter
def card_brand(brand: str) -> str:
    """ "Visa" for Stripe's "visa" (`payments.receipts.format_brand_name`)."""
    return format_brand_name(brand)
