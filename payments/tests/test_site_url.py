"""Every URL handed to Stripe is built on SITE_URL, never on the request's Host header, and
production settings without SITE_URL are refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
import stripe
from django.core.checks import Error

from catalog.tests.factories import make_item, make_order
from payments.checks import check_site_url
from payments.gateway.accounts import get_account, get_stripe_client
from project.tests.test_settings import PRODUCTION_ENV, _manage
from testing.accounts import PUBLISHABLE_KEYS

pytestmark = pytest.mark.django_db

SITE = "https://shop.example.com"
EVIL = "evil.example"


@pytest.fixture
def shop(settings, stripe_accounts):
    """The emulator, SITE_URL on the shop's address, and an attacker's host that is allowed
    (as `.herokuapp.com` allows any app's name)."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, EVIL]
    return stripe_accounts


def created_sessions():
    """The Checkout Sessions the emulator holds, read back from it with the account's key."""
    return get_stripe_client(get_account("usd")).v1.checkout.sessions.list().data


class TestUrlsHandedToStripe:
    @pytest.mark.parametrize("kind", ["item", "order"])
    def test_checkout_urls_are_on_site_url_whatever_the_host(self, client, shop, kind):
        """`Host: evil.example` → the session the emulator holds returns to SITE_URL."""
        target = make_item() if kind == "item" else make_order()
        path = f"/buy/{target.pk}" if kind == "item" else f"/order/{target.pk}/buy"
        response = client.get(path, headers={"host": EVIL})
        assert response.status_code == 200, response.content
        [session] = created_sessions()
        assert session.success_url == (
            f"{SITE}/payments/checkout/success?session_id={{CHECKOUT_SESSION_ID}}"
        )
        assert session.cancel_url.startswith(f"{SITE}/payments/checkout/cancel/{kind}/")
        assert EVIL not in session.success_url + session.cancel_url

    def test_the_card_forms_return_url_is_on_site_url_whatever_the_host(self, client, shop):
        """The page served for `Host: evil.example` gives Stripe.js a return_url on SITE_URL,
        and the emulator receives exactly that one when the card form confirms."""
        order = make_order()
        page = client.get(f"/order/{order.pk}", headers={"host": EVIL}).content.decode()
        [return_url] = re.findall(r'data-return-url="([^"]*)"', page)
        assert return_url == f"{SITE}/payments/result/"
        setup = client.post(f"/order/{order.pk}/payment-intent", headers={"host": EVIL}).json()
        # What Stripe.js's confirmPayment sends: the publishable key, the client secret and the
        # page's return_url.
        publishable = stripe.StripeClient(PUBLISHABLE_KEYS["usd"], base_addresses={"api": shop.url})
        # `client_secret` is Stripe.js's, so the server SDK's params type does not list it.
        confirm_params: Any = {
            "payment_method": "pm_card_visa",
            "return_url": return_url,
            "client_secret": setup["clientSecret"],
        }
        publishable.v1.payment_intents.confirm(setup["paymentIntent"], confirm_params)
        [confirm] = [r for r in shop.requests() if r["path"].endswith("/confirm")]
        assert confirm["params"]["return_url"] == f"{SITE}/payments/result/"


class TestSiteUrlCheck:
    @pytest.mark.parametrize(
        ("value", "debug", "refused"),
        [
            ("", False, True),
            ("", True, False),
            ("https://shop.example.com", False, False),
            ("http://127.0.0.1:8000", False, False),
            ("shop.example.com", False, True),
            ("ftp://shop.example.com", False, True),
            ("https://shop.example.com/shop", False, True),
            ("https://shop.example.com?x=1", False, True),
        ],
    )
    def test_site_url_must_be_an_origin_and_is_required_without_debug(
        self, settings, value, debug, refused
    ):
        """Production (DEBUG off) needs SITE_URL, and SITE_URL must be a bare http(s) origin."""
        settings.SITE_URL, settings.DEBUG = value, debug
        messages = check_site_url()
        assert bool(messages) == refused
        assert all(isinstance(message, Error) for message in messages)

    def test_manage_py_refuses_production_settings_without_site_url(self):
        """`manage.py check` (and so `migrate` in the release step) fails without SITE_URL."""
        result = _manage("check", env={**PRODUCTION_ENV, "SITE_URL": ""})
        assert result.returncode != 0
        assert "SITE_URL is not set" in result.stderr
