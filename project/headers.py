"""Content-Security-Policy and Permissions-Policy on every response (checklist 9.4, 9.5).

The pages run only the shop's own static scripts and Stripe.js, frame only Stripe's card form
and 3-D Secure pages, and talk only to the shop and Stripe's API. The Stripe origins come from
STRIPE_JS_URL and STRIPE_API_BASE, so the offline emulator (another origin) works the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REAL_STRIPE_JS = "https://js.stripe.com"
# Stripe's security guide (CSP section): Stripe.js also loads from its subdomains, frames
# 3-D Secure pages from hooks.stripe.com and shows images from *.stripe.com.
REAL_STRIPE_EXTRA = {
    "script-src": ["https://*.js.stripe.com"],
    "frame-src": ["https://*.js.stripe.com", "https://hooks.stripe.com"],
    "img-src": ["https://*.stripe.com"],
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def build_content_security_policy() -> str:
    """The policy for the configured Stripe.js and API origins."""
    return _content_security_policy(settings.STRIPE_JS_URL, settings.STRIPE_API_BASE)


# The header values are built once per configuration, not per response (tests and `make run`
# point the Stripe settings elsewhere, so the settings are the cache's key).
@lru_cache(maxsize=8)
def _content_security_policy(js_url: str, api_base: str) -> str:
    js, api = _origin(js_url), _origin(api_base)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", js],
        # Stripe.js may add stylesheets from its own origin (the offline emulator does).
        "style-src": ["'self'", js],
        "img-src": ["'self'", "data:"],
        "frame-src": [js],
        "connect-src": ["'self'", api],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    if js == REAL_STRIPE_JS:
        for name, sources in REAL_STRIPE_EXTRA.items():
            directives[name] += sources
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def build_permissions_policy() -> str:
    """No camera, microphone, location or USB; the Payment Request API for Stripe's frames
    (Apple Pay and Google Pay in the Payment Element)."""
    return _permissions_policy(settings.STRIPE_JS_URL)


@lru_cache(maxsize=8)
def _permissions_policy(js_url: str) -> str:
    js = _origin(js_url)
    return f'camera=(), microphone=(), geolocation=(), usb=(), payment=(self "{js}")'


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 500:
            return response  # Django's debug page is made of inline scripts and styles
        response.headers.setdefault("Content-Security-Policy", build_content_security_policy())
        response.headers.setdefault("Permissions-Policy", build_permissions_policy())
        return response
