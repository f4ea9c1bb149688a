"""The Stripe.js release the shop loads matches the API version its stripe-python pins."""

import stripe
from django.conf import settings


def test_stripe_js_release_is_the_pinned_api_versions_release() -> None:
    """STRIPE_JS_RELEASE names the major release of stripe-python's pinned API version, so a
    stripe-python upgrade to a new release fails here until Stripe.js follows."""
    assert stripe.api_version.endswith(f".{settings.STRIPE_JS_RELEASE}")
