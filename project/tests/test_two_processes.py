"""Two app processes, one shop: two gunicorn servers started as the Procfile starts them, on one
PostgreSQL database and one Redis, agree on rate limits, payments, events and sessions.

The servers are separate processes reaching the test database over the network, so this needs
PostgreSQL (SQLite's test database is a file locked by one writer at a time, not a server two
processes share as production's dynos do): skipped on SQLite, run by CI's PostgreSQL pass. Redis
must answer at TEST_REDIS_URL (default redis://127.0.0.1:6379/0; CI starts it); keys carry a
prefix unique to this run and are deleted afterwards.
"""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlencode

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import connection

from catalog.models import Order
from catalog.tests.factories import BUYER_SESSION_KEY, make_item, make_order
from payments.models import Payment, PaymentKind, PaymentStatus, WebhookEvent
from payments.tests.helpers import intent_event, signature
from testing.accounts import TEST_ACCOUNTS, WEBHOOK_SECRETS
from testing.servers import start_shop_server, stripe_environment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two app processes need a database server they share (PostgreSQL), as dynos do",
    ),
    pytest.mark.django_db(transaction=True),
]

CLIENT_LIMIT = 3  # RATE_LIMIT_PER_CLIENT of both servers, per hour
ADMIN_FAILURES = 2  # ADMIN_LOGIN_FAILURE_LIMIT of both servers
CSRF_TOKEN = "twoprocessescsrftoken0123456789a"  # any 32 characters matching the cookie


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(url: str, *, client: str, method: str = "GET", body: bytes | None = None,
         cookies: str = "", headers: dict[str, str] | None = None) -> Answer:  # fmt: skip
    """One HTTP request as the client at address `client` (behind the servers' proxy rule)."""
    request = urllib.request.Request(url, body, method=method)  # noqa: S310 - loopback
    request.add_header("X-Forwarded-For", client)
    if cookies:
        request.add_header("Cookie", cookies)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def at_once(*calls: Any) -> list[Answer]:
    """Make the calls (functions of no argument) in threads released together."""
    barrier = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        answers[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis must answer at {url} (TEST_REDIS_URL) for these tests: {error}")
    return url


def _server_env(emulator_url: str, redis_url: str, prefix: str) -> dict[str, str]:
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SECRET_KEY": "two-processes-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_PROXY": "true",  # each test speaks as its own client address
        "SITE_URL": "http://127.0.0.1",  # required without DEBUG; both servers are one shop
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**database),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "RATE_LIMIT_PER_CLIENT": f"{CLIENT_LIMIT}/h",
        "ADMIN_LOGIN_FAILURE_LIMIT": str(ADMIN_FAILURES),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "8",
        **stripe_environment(emulator_url, TEST_ACCOUNTS),
    }


@pytest.fixture(scope="module")
def shops(django_db_setup, stripe_emulator) -> Iterator[tuple[str, str]]:
    """The URLs of two app servers sharing the test database and one Redis."""
    redis_url = _redis_url()
    prefix = f"test-two-processes-{uuid.uuid4()}"
    env = _server_env(stripe_emulator.url, redis_url, prefix)
    servers = [start_shop_server(env), start_shop_server(env)]
    yield servers[0].url, servers[1].url
    for server in servers:
        server.stop()
    store = redis.Redis.from_url(redis_url)
    for key in store.scan_iter(f"{prefix}:*"):
        store.delete(key)


def client_address() -> str:
    """A fresh client address per test: the servers' counters outlive one test."""
    return f"198.51.100.{uuid.uuid4().int % 250 + 1}"


class TestTwoProcesses:
    def test_a_rate_limit_is_counted_across_both(self, shops, stripe_accounts):
        """A client alternating between servers gets 429 past the limit on the second."""
        first, second = shops
        item = make_item()
        client = client_address()
        servers = [first, second] * CLIENT_LIMIT
        statuses = [call(f"{url}/buy/{item.pk}", client=client).status for url in servers]
        assert statuses[:CLIENT_LIMIT] == [200] * CLIENT_LIMIT
        refused = call(f"{servers[CLIENT_LIMIT]}/buy/{item.pk}", client=client)
        assert servers[CLIENT_LIMIT] == second
        assert refused.status == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert "error" in refused.json()
        assert Order.objects.count() == CLIENT_LIMIT

    def test_concurrent_pay_on_both_makes_one_payment_intent(self, shops, stripe_accounts):
        """The buyer's Pay reaches both servers at once: one PaymentIntent, one Payment."""
        stripe_accounts.set_fault("POST /v1/payment_intents", latency_ms=300)
        order = make_order()
        cookies = f"csrftoken={CSRF_TOKEN}; sessionid={BUYER_SESSION_KEY}"
        client = client_address()

        def pay(url: str) -> Any:
            return lambda: call(f"{url}/order/{order.pk}/payment-intent", client=client,
                                method="POST", body=b"", cookies=cookies,
                                headers={"X-CSRFToken": CSRF_TOKEN})  # fmt: skip

        answers = at_once(*(pay(url) for url in shops))
        assert [answer.status for answer in answers] == [200, 200]
        assert len({answer.json()["paymentIntent"] for answer in answers}) == 1
        creates = [
            r
            for r in stripe_accounts.requests()
            if (r["method"], r["path"]) == ("POST", "/v1/payment_intents")
        ]
        assert len(creates) == 1
        assert Payment.objects.filter(order=order).count() == 1

    def test_one_event_delivered_to_both_has_one_effect(self, shops, stripe_accounts):
        """Stripe's event reaches both servers at once: handled once, a duplicate once."""
        payment = Payment.objects.create(
            order=make_order(), kind=PaymentKind.PAYMENT_INTENT, account="usd",
            stripe_id="pi_test_two_processes", amount=3000, shop_amount=3000, currency="usd",
        )  # fmt: skip
        payload = intent_event("payment_intent.succeeded", payment)
        header = {"Stripe-Signature": signature(payload, WEBHOOK_SECRETS["usd"]),
                  "Content-Type": "application/json"}  # fmt: skip

        def deliver(url: str) -> Any:
            return lambda: call(f"{url}/payments/webhook/usd/", client=client_address(),
                                method="POST", body=payload, headers=header)  # fmt: skip

        answers = at_once(*(deliver(url) for url in shops))
        assert Counter(answer.json()["outcome"] for answer in answers) == {
            "handled": 1,
            "duplicate": 1,
        }
        assert WebhookEvent.objects.count() == 1
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED

    def test_a_session_made_on_one_is_valid_on_the_other(self, shops, stripe_accounts):
        """A session started by /buy on one server opens the order on the other."""
        # Without the cookie the order stays hidden there.
        first, second = shops
        client = client_address()
        bought = call(f"{first}/buy/{make_item().pk}", client=client)
        assert bought.status == 200
        cookie = bought.headers["Set-Cookie"].split(";", 1)[0]
        assert cookie.startswith("sessionid=")
        order = Order.objects.get()
        assert call(f"{second}/order/{order.pk}", client=client, cookies=cookie).status == 200
        assert call(f"{second}/order/{order.pk}", client=client).status == 404

    def test_an_admin_lockout_on_one_holds_on_the_other(self, shops):
        """Wrong passwords on one server lock the pair out on the other, right password too."""
        first, second = shops
        get_user_model().objects.create_user("keeper", password="right-password", is_staff=True)
        client = client_address()

        def sign_in(url: str, password: str) -> int:
            form = {"username": "keeper", "password": password, "next": "/admin/"}
            return call(f"{url}/admin/login/?next=/admin/", client=client, method="POST",
                        body=urlencode(form).encode(), cookies=f"csrftoken={CSRF_TOKEN}",
                        headers={"X-CSRFToken": CSRF_TOKEN,
                                 "Content-Type": "application/x-www-form-urlencoded"},
                        ).status  # fmt: skip

        assert [sign_in(first, "guess") for _ in range(ADMIN_FAILURES)] == [200, 429]
        assert sign_in(second, "right-password") == 429
        assert sign_in(second, "right-password") == 429
