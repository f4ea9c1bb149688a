"""Absolute URLs of the shop's own pages, for Stripe to send buyers back to.

They are built on the configured SITE_URL, never on the request's Host header: the Host is the
client's to choose, and with a wildcard such as `.herokuapp.com` allowed, `Host:
attacker.herokuapp.com` would otherwise make Stripe send the paying buyer to the attacker.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def build_absolute_url(path: str) -> str:
    """`path` (from `reverse`, starting with "/") as an absolute URL on SITE_URL."""
    if not settings.SITE_URL:
        # The system check refuses to start without it when DEBUG is off; this only fires if
        # that check was skipped.
        raise ImproperlyConfigured("SITE_URL is not set: Stripe can't send buyers back.")
    return f"{settings.SITE_URL.rstrip('/')}{path}"
