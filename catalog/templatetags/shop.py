"""Template helpers for the shop pages: money in the active language, and the layout's
per-visitor parts (the cart badge, the language form's `next` path, the messages)."""

from django import template
from django.utils import translation
from django.utils.safestring import SafeString

from catalog import page_cache
from catalog.language import get_active_language
from catalog.money import format_money

register = template.Library()


@register.filter
def money(minor: int, currency: str) -> str:
    """Format an amount in minor units for the active language: `{{ amount|money:currency }}`."""
    return format_money(minor, currency, translation.to_locale(get_active_language()))


@register.simple_tag(takes_context=True)
def cart_badge(context: template.Context) -> SafeString:
    """The header's cart badge: how many units the visitor's cart holds (0 with no request, the
    500 page)."""
    return page_cache.render_hole(context, "cart_badge")


@register.simple_tag(takes_context=True)
def next_path(context: template.Context) -> SafeString:
    """This page's path and query, escaped, for the language form's `next`."""
    return page_cache.render_hole(context, "next_path")


@register.simple_tag(takes_context=True)
def page_messages(context: template.Context) -> SafeString:
    """The visitor's messages (Django's messages framework), if any."""
    return page_cache.render_hole(context, "messages")
