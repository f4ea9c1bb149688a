"""One Stripe account per currency, each with its own `StripeClient`.

The global `stripe.api_key` is never set: it is process-wide, and two currencies served by
concurrent threads would race on it.
"""

from dataclasses import dataclass, field
from functools import cache

import stripe
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from catalog.currencies import has_account
from payments.exceptions import PaymentsNotConfigured
from payments.key_mode import parse_key_mode


@dataclass(frozen=True)
class StripeAccount:
    currency: str
    # Left out of repr(), which error reports and logs print.
    secret_key: str = field(repr=False)
    publishable_key: str
    webhook_secret: str = field(repr=False)


@sensitive_variables("config")
def get_account(currency: str) -> StripeAccount:
    """The configured account of `currency`, or PaymentsNotConfigured with a message to show."""
    currency = currency.lower()
    if not has_account(currency):
        raise PaymentsNotConfigured(currency)
    config = settings.STRIPE_ACCOUNTS[currency]
    return StripeAccount(
        currency=currency,
        secret_key=config["secret_key"],
        publishable_key=config["publishable_key"],
        webhook_secret=config["webhook_secret"],
    )


@sensitive_variables("secret_key")
@cache
def _client(secret_key: str, api_base: str, timeout: int, retries: int) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base},
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def get_stripe_client(account: StripeAccount) -> stripe.StripeClient:
    """The shared client of `account` (one per key and base address, made on first use)."""
    return _client(
        account.secret_key,
        settings.STRIPE_API_BASE,
        settings.STRIPE_TIMEOUT_SECONDS,
        settings.STRIPE_MAX_NETWORK_RETRIES,
    )


# Closing an order's other attempts runs while Stripe waits for the webhook's answer, which it
# times out and retries (redelivering an event already handled): one try, bounded by this, so
# the answer stays fast. A failure is only logged and the attempt stays as it was; the result
# page, the PaymentIntent endpoint and the "paid twice" alarm catch what it left open.
QUICK_TIMEOUT_SECONDS = 2


def get_quick_client(account: StripeAccount) -> stripe.StripeClient:
    """A client of `account` with a short timeout and no retries (for the webhook's calls)."""
    return _client(account.secret_key, settings.STRIPE_API_BASE, QUICK_TIMEOUT_SECONDS, 0)


@sensitive_variables("config")
def get_webhook_secret(currency: str) -> str:
    """The signing secret of `currency`'s webhook endpoint ("" when not configured)."""
    config = settings.STRIPE_ACCOUNTS.get(currency.lower()) or {}
    return str(config.get("webhook_secret", ""))


@sensitive_variables("config")
def is_live(currency: str) -> bool:
    """Whether `currency`'s account runs on live keys (its events then say livemode=true)."""
    config = settings.STRIPE_ACCOUNTS.get(currency.lower()) or {}
    return parse_key_mode(str(config.get("secret_key", ""))) == "live"
