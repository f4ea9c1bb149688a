"""What every page may say about the Stripe mode the shop runs in."""

from django.conf import settings
from django.http import HttpRequest

from payments.key_mode import parse_key_mode


def stripe_mode(request: HttpRequest) -> dict[str, bool | str]:
    """What every page needs to know about Stripe.

    `stripe_test_mode`: every configured secret key is a test key, so no card is charged; pages
    only promise "no real card is charged" when it is true. `stripe_js_url`: Stripe.js, which
    every page loads (Stripe asks for it site-wide: its fraud signals watch the whole visit).
    """
    keys = [account["secret_key"] for account in settings.STRIPE_ACCOUNTS.values()]
    return {
        "stripe_test_mode": all(parse_key_mode(key) == "test" for key in keys if key),
        "stripe_js_url": settings.STRIPE_JS_URL,
    }
