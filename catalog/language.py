"""The active language: the request's (LocaleMiddleware), else the site's default."""

from django.conf import settings
from django.utils.translation import get_language


def get_active_language() -> str:
    """The language code pages, prices and Stripe's pages are shown in right now."""
    return get_language() or settings.LANGUAGE_CODE
