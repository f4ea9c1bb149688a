"""Rate limits (project/rate_limits.py) on every request that creates something: per client
and per Stripe account, 429 with Retry-After over the limit, nothing changed under it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from catalog.models import Order
from catalog.tests.factories import make_item, make_order
from payments.models import Payment

pytestmark = pytest.mark.django_db

Request = Callable[[Client, Any], Any]


def _post(path: str) -> Request:
    return lambda client, pk, **extra: client.post(path.format(pk=pk), {"quantity": 1}, **extra)


def _get(path: str) -> Request:
    return lambda client, pk, **extra: client.get(path.format(pk=pk), **extra)


# (request, what it is made for: "item" or "order", JSON endpoint?, status under the limit)
CREATING = {
    "buy item": (_get("/buy/{pk}"), "item", True, 200),
    "buy order": (_get("/order/{pk}/buy"), "order", True, 200),
    "item payment-intent": (_post("/item/{pk}/payment-intent"), "item", True, 200),
    "order payment-intent": (_post("/order/{pk}/payment-intent"), "order", True, 200),
    "add to cart": (_post("/cart/add/{pk}"), "item", False, 302),
    "place order": (_post("/cart/order"), "cart", False, 302),
}


def _target(kind: str, client: Client) -> int:
    item = make_item()
    if kind == "order":
        return make_order(lines=[(item, 1)]).pk
    if kind == "cart":
        client.post(f"/cart/add/{item.pk}", {"quantity": 1})  # counted too: the cart's first
    return item.pk


def _counts() -> tuple[int, int]:
    return Order.objects.count(), Payment.objects.count()


@pytest.mark.parametrize("name", list(CREATING))
class TestPerClient:
    def test_over_the_limit_is_refused_with_429_and_retry_after(
        self, name, client, settings, stripe_accounts
    ):
        """Past RATE_LIMIT_PER_CLIENT: 429, Retry-After, the message, nothing created."""
        # Those before it are served; Retry-After is within the window; the message is JSON
        # `error` or a page.
        settings.RATE_LIMIT_PER_CLIENT = "3/h"
        request, kind, is_json, status = CREATING[name]
        pk = _target(kind, client)
        if kind == "cart":  # adding to the cart counts too: add, place, add, then refused
            assert request(client, pk).status_code == status
            _target("cart", client)
        else:
            for _ in range(3):
                assert request(client, pk).status_code == status
        before, stripe_calls = _counts(), len(stripe_accounts.requests())
        refused = request(client, pk)
        assert refused.status_code == 429
        assert 1 <= int(refused["Retry-After"]) <= 3600
        message = "Too many requests from your network"
        if is_json:
            assert message in refused.json()["error"]
        else:
            assert message in refused.content.decode()
        assert _counts() == before
        assert len(stripe_accounts.requests()) == stripe_calls

    def test_another_client_is_not_refused(self, name, client, settings, stripe_accounts):
        """One client over its limit leaves other addresses untouched."""
        settings.RATE_LIMIT_PER_CLIENT = "1/h"
        request, kind, _, status = CREATING[name]
        pk = _target(kind, client)
        request(client, pk)
        assert request(client, pk).status_code == 429
        other = Client(REMOTE_ADDR="198.51.100.7")
        other.cookies = client.cookies
        assert request(other, pk).status_code == status


class TestClientAddress:
    def _spend_limit(self, client, settings, **headers) -> int:
        settings.RATE_LIMIT_PER_CLIENT = "1/h"
        item = make_item()
        client.post(f"/cart/add/{item.pk}", {"quantity": 1}, **headers)
        return item.pk

    def test_x_forwarded_for_is_ignored_without_a_proxy(self, client, settings):
        """Without DJANGO_BEHIND_PROXY a client can't pass for someone else by the header."""
        pk = self._spend_limit(client, settings, HTTP_X_FORWARDED_FOR="203.0.113.1")
        again = client.post(f"/cart/add/{pk}", {"quantity": 1}, HTTP_X_FORWARDED_FOR="203.0.113.2")
        assert again.status_code == 429

    def test_behind_a_proxy_the_address_it_appended_counts(self, client, settings):
        """Behind the proxy the last X-Forwarded-For entry counts, not a forged first one."""
        # Another real client is still served.
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        pk = self._spend_limit(client, settings, HTTP_X_FORWARDED_FOR="203.0.113.1")
        forged = client.post(
            f"/cart/add/{pk}", {"quantity": 1}, HTTP_X_FORWARDED_FOR="192.0.2.9, 203.0.113.1"
        )
        assert forged.status_code == 429
        other = client.post(f"/cart/add/{pk}", {"quantity": 1}, HTTP_X_FORWARDED_FOR="203.0.113.2")
        assert other.status_code == 302

    def test_an_ipv6_client_counts_by_its_64_block(self, client, settings):
        """Addresses of one /64 are one client: rotating within it does not escape."""
        pk = self._spend_limit(client, settings, REMOTE_ADDR="2001:db8:1:2::1")
        again = client.post(f"/cart/add/{pk}", {"quantity": 1}, REMOTE_ADDR="2001:db8:1:2::ffff")
        assert again.status_code == 429


class TestPerStripeAccount:
    def test_the_account_ceiling_counts_every_client_together(
        self, client, settings, stripe_accounts
    ):
        """Past RATE_LIMIT_PER_STRIPE_ACCOUNT every client gets 429; other accounts serve."""
        # The 429 carries the busy message; the other currency's account is counted apart.
        settings.RATE_LIMIT_PER_STRIPE_ACCOUNT = "2/h"
        usd, eur = make_item(currency="usd"), make_item(name="Moka pot", currency="eur")
        buyers = [Client(REMOTE_ADDR=f"198.51.100.{n}") for n in range(4)]
        assert [b.get(f"/buy/{usd.pk}").status_code for b in buyers] == [200, 200, 429, 429]
        refused = buyers[3].get(f"/buy/{usd.pk}")
        assert "very busy" in refused.json()["error"]
        assert int(refused["Retry-After"]) >= 1
        sessions = [r for r in stripe_accounts.requests() if r["path"] == "/v1/checkout/sessions"]
        assert len(sessions) == 2
        assert buyers[3].get(f"/buy/{eur.pk}").status_code == 200

    def test_the_card_forms_endpoint_counts_the_locked_orders_account(
        self, client, settings, stripe_accounts
    ):
        """The card form's endpoint counts the locked order's account: 429 past it, nothing made."""
        # Past the ceiling: the busy message and Retry-After, no Stripe call and no payment; the
        # other currency's account still serves, and a 404 spends nothing.
        settings.RATE_LIMIT_PER_STRIPE_ACCOUNT = "2/h"
        usd = [make_order(lines=[(make_item(), 1)]) for _ in range(3)]
        eur = make_order(lines=[(make_item(name="Moka pot", currency="eur"), 1)])
        buyers = [Client(REMOTE_ADDR=f"198.51.100.{n}") for n in range(3)]
        for buyer in buyers:
            buyer.cookies = client.cookies
        assert client.post("/order/999999/payment-intent").status_code == 404
        pairs = zip(buyers, usd, strict=True)
        answers = [buyer.post(f"/order/{order.pk}/payment-intent") for buyer, order in pairs]
        assert [a.status_code for a in answers] == [200, 200, 429]
        assert "very busy" in answers[2].json()["error"]
        assert int(answers[2]["Retry-After"]) >= 1
        assert not Payment.objects.filter(order=usd[2]).exists()
        intents = [r for r in stripe_accounts.requests() if r["path"] == "/v1/payment_intents"]
        assert len(intents) == 2
        assert buyers[2].post(f"/order/{eur.pk}/payment-intent").status_code == 200

    def test_an_unknown_item_spends_no_ceiling(self, client, settings, stripe_accounts):
        """A 404 calls no Stripe, so it does not count against the account's ceiling."""
        settings.RATE_LIMIT_PER_STRIPE_ACCOUNT = "1/h"
        item = make_item()
        assert client.get("/buy/999999").status_code == 404
        assert client.get(f"/buy/{item.pk}").status_code == 200


class TestRefusalPage:
    def test_the_page_says_it_in_russian(self, client, settings):
        """The cart's 429 page is translated like every other page."""
        settings.RATE_LIMIT_PER_CLIENT = "1/h"
        item = make_item()
        client.post(f"/cart/add/{item.pk}", {"quantity": 1})
        with translation.override("ru"):
            page = client.post(f"/cart/add/{item.pk}", {"quantity": 1}, HTTP_ACCEPT_LANGUAGE="ru")
        assert page.status_code == 429
        assert "Слишком много запросов" in page.content.decode()


class TestCountersUnavailable:
    def test_requests_are_served_when_redis_is_down(self, client, settings, caplog):
        """With Redis unreachable the shop serves (limits off) and logs why, never a 500."""
        settings.CACHES = {
            "default": {
                "BACKEND": "project.redis_cache.SharedClientRedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            }
        }
        item = make_item()
        assert client.post(f"/cart/add/{item.pk}", {"quantity": 1}).status_code == 302
        assert "Redis unavailable" in caplog.text
