"""Rate limits on the requests that create something: orders, sessions, Stripe objects.

Two counters, kept in Django's cache (Redis with REDIS_URL, so that every app process counts
together; this process's memory otherwise) and counted by django-ratelimit:

- per client (its IP address), over all creating requests together: one client can neither fill
  the database nor spend the shop's Stripe budget;
- per Stripe account (the currency of the item or order), over the requests that call Stripe:
  however many clients there are, the shop stays below Stripe's own API rate limit, past which
  Stripe would refuse real buyers' payments too.

Over a limit the view does not run (or, for the per-account limit that `build_account_limit` counts
once a view has read the account, stops before calling Stripe or writing anything): the answer is
429 with Retry-After, JSON `{"error": …}` for the card form's and Checkout's endpoints, a page
with the message for the cart's forms. The rates are settings (RATE_LIMIT_PER_CLIENT,
RATE_LIMIT_PER_STRIPE_ACCOUNT).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from catalog.models import Item, Order

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]
AccountOf = Callable[[int], str | None]
AccountLimit = Callable[[str], None]


def get_client_ip(request: HttpRequest) -> str:
    """The client's address: the connecting peer, or behind a proxy the address that proxy
    appended last to X-Forwarded-For (the entries before it come from the client and can be
    forged). An IPv6 client counts by its /64, the block one connection is usually given.

    "Behind a proxy" is the settings' one rule: SECURE_PROXY_SSL_HEADER is set exactly when
    DJANGO_BEHIND_PROXY is on; without it X-Forwarded-For is ignored.
    """
    address = str(request.META.get("REMOTE_ADDR", ""))
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        address = forwarded or address
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def find_item_account(pk: int) -> str | None:
    """The Stripe account (currency) an item is paid into; None if there is no such item."""
    return Item.objects.filter(pk=pk).values_list("currency", flat=True).first()


def find_order_account(pk: int) -> str | None:
    """The Stripe account (currency) an order is paid into; None if there is no such order."""
    return Order.objects.filter(pk=pk).values_list("currency", flat=True).first()


# Marked for translation here, translated when a refusal is answered.
BUSY = gettext_noop("The shop is very busy right now. Please try again in a few seconds.")


def _seconds_over(request: HttpRequest, group: str, key: str, rate: str) -> int | None:
    """Count this request under (group, key); the seconds until the window ends if over."""
    try:
        usage = get_usage(
            request, group=group, key=lambda _group, _request: key, rate=rate, increment=True
        )
    except RedisError as error:
        # Serving while the counters are unreachable beats refusing every buyer (the same
        # choice as RATELIMIT_FAIL_OPEN); the log says limits are off.
        logger.warning("Rate limit %s not counted, Redis unavailable: %s", group, error)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)


def _refusal(request: HttpRequest, account: str | None) -> tuple[int, str] | None:
    """(Retry-After seconds, message) if a limit refuses this request, else None."""
    rate = settings.RATE_LIMIT_PER_CLIENT
    over = _seconds_over(request, "create:client", get_client_ip(request), rate)
    if over is not None:
        message = _("Too many requests from your network. Please wait a little and try again.")
        return over, message
    if account is None:
        return None  # no such item or order: the view answers 404 and calls no Stripe
    rate = settings.RATE_LIMIT_PER_STRIPE_ACCOUNT
    over = _seconds_over(request, "create:stripe-account", account, rate)
    if over is not None:
        return over, _(BUSY)
    return None


class OverAccountLimit(Exception):
    """Raised by `build_account_limit`'s check when the Stripe account is over its ceiling."""

    def __init__(self, seconds: int, message: str) -> None:
        super().__init__(message)
        self.seconds, self.message = seconds, message


def build_account_limit(request: HttpRequest) -> AccountLimit:
    """The per-account ceiling as a check to run once the account is known from rows a view
    reads anyway (the PaymentIntent endpoint's locked order): it raises OverAccountLimit,
    which `build_account_limit_refusal` answers. Saves the statement `account_of` would send."""

    def check(account: str) -> None:
        rate = settings.RATE_LIMIT_PER_STRIPE_ACCOUNT
        over = _seconds_over(request, "create:stripe-account", account, rate)
        if over is not None:
            raise OverAccountLimit(over, _(BUSY))

    return check


def build_account_limit_refusal(request: HttpRequest, refused: OverAccountLimit) -> HttpResponse:
    """The JSON 429 for an OverAccountLimit."""
    return _too_many(request, refused.seconds, refused.message, json=True)


def _too_many(request: HttpRequest, seconds: int, message: str, *, json: bool) -> HttpResponse:
    if json:
        response: HttpResponse = JsonResponse({"error": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(*, json: bool, account_of: AccountOf | None = None) -> Callable[[View], View]:
    """Refuse the view's request when its client, or the Stripe account it would call (found
    by `account_of(pk)`), is over its limit. `json`: answer as an API (else as a page)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            account = account_of(kwargs["pk"]) if account_of is not None else None
            refusal = _refusal(request, account)
            if refusal is not None:
                return _too_many(request, *refusal, json=json)
            return view(request, *args, **kwargs)

        return limited

    return decorator
