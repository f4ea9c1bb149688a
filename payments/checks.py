"""System checks for the Stripe accounts: one per enabled currency, with matching keys.

Missing keys are only reported by `manage.py check --deploy` (development and tests run
without keys, against the emulator); keys that are present but don't fit together are always
reported, since such a shop would fail on the first payment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from payments.key_mode import parse_key_mode


@register(Tags.compatibility)
def check_stripe_keys_match(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for currency in settings.STRIPE_CURRENCIES:
        config = settings.STRIPE_ACCOUNTS.get(currency, {})
        secret, publishable = config.get("secret_key", ""), config.get("publishable_key", "")
        name = currency.upper()
        if secret and not secret.startswith(("sk_", "rk_")):
            messages.append(
                Warning(
                    f"STRIPE_{name}_SECRET_KEY is not a secret key (sk_… or rk_…).",
                    id="payments.W001",
                )
            )
        if publishable and not publishable.startswith("pk_"):
            messages.append(
                Warning(
                    f"STRIPE_{name}_PUBLISHABLE_KEY is not a publishable key (pk_…).",
                    id="payments.W002",
                )
            )
        if secret and publishable and parse_key_mode(secret) != parse_key_mode(publishable):
            messages.append(
                Warning(
                    f"The {name} secret and publishable keys are of different modes "
                    "(test and live); Stripe.js would not find the PaymentIntents.",
                    hint="Take both keys from the same account and mode in the Dashboard.",
                    id="payments.W003",
                )
            )
    return messages


@register(Tags.security, deploy=True)
def check_stripe_accounts_configured(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for currency in settings.STRIPE_CURRENCIES:
        config = settings.STRIPE_ACCOUNTS.get(currency, {})
        name = currency.upper()
        for field, label in (
            ("secret_key", "SECRET_KEY"),
            ("publishable_key", "PUBLISHABLE_KEY"),
            ("webhook_secret", "WEBHOOK_SECRET"),
        ):
            if not config.get(field):
                messages.append(
                    Warning(
                        f"STRIPE_{name}_{label} is not set: {name} payments "
                        + (
                            "cannot be confirmed by webhooks."
                            if field == "webhook_secret"
                            else "are not possible."
                        ),
                        hint=f"Set it, or remove {currency} from STRIPE_CURRENCIES.",
                        id="payments.W010",
                    )
                )
    return messages


@register(Tags.security)
def check_site_url(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """SITE_URL is where Stripe sends buyers back: required in production, and only an origin."""
    site_url = settings.SITE_URL
    if not site_url:
        if settings.DEBUG:
            return []
        return [
            Error(
                "SITE_URL is not set: Stripe would have no address to send buyers back to.",
                hint="Set SITE_URL to the shop's public address, e.g. https://shop.example.com.",
                id="payments.E001",
            )
        ]
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        return [
            Error(
                f"SITE_URL {site_url!r} is not an http(s) origin.",
                hint="Scheme and host (and port) only, e.g. https://shop.example.com.",
                id="payments.E002",
            )
        ]
    if parts.query or parts.fragment:
        return [Error(f"SITE_URL {site_url!r} has a query or fragment.", id="payments.E002")]
    return []


@register(Tags.security, deploy=True)
def check_site_url_is_https(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if settings.SITE_URL.startswith("http://") and not settings.DEBUG:
        return [
            Warning(
                "SITE_URL is plain http: buyers come back from Stripe over an unencrypted link.",
                id="payments.W020",
            )
        ]
    return []
