"""Template helpers for the shop pages: money in the active language, and the cart badge."""

from django import template
from django.http import HttpRequest
from django.utils import translation

from catalog.cart import Cart
from catalog.language import active_language
from catalog.money import format_money

register = template.Library()


@register.filter
def money(minor: int, currency: str) -> str:
    """Format an amount in minor units for the active language: `{{ amount|money:currency }}`."""
    return format_money(minor, currency, translation.to_locale(active_language()))


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context) -> int:
    """How many units the visitor's cart holds; 0 where there is no request (the 500 page)."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return 0
    return Cart(request.session).count
