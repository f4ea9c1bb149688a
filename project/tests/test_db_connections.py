"""Database connections on a small plan: the shop under gunicorn (as the Procfile runs it) as a
PostgreSQL role limited to 10 connections, 50 payment requests at once: no 500, a 503 only with
Retry-After, one PaymentIntent per order.

PostgreSQL only: the connection limit and the pool are PostgreSQL's (SQLite has neither).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.db import connection

from catalog.tests.factories import BUYER_SESSION_KEY, buyer_session, make_item, make_order
from payments.gateway.accounts import get_account, get_stripe_client
from testing.accounts import TEST_ACCOUNTS
from testing.servers import ShopServer, free_port, start_shop_server, stripe_environment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="connection limits and the pool are PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
]

ROLE_LIMIT = 10
WORKERS = 2  # gunicorn.conf.py's default, spelt out because the arithmetic below uses it
CSRF_TOKEN = "connectionstestcsrftoken01234567"  # any 32 characters matching the cookie
# 50 requests at once: 35 orders paid once, and 3 orders each paid from 5 tabs at once.
DISTINCT_ORDERS, SHARED_ORDERS, TABS = 35, 3, 5


@pytest.fixture
def limited_role() -> Iterator[tuple[str, str]]:
    """A login role of the test database limited to 10 connections (dropped afterwards)."""
    name = f"h8_edges_limited_{secrets.token_hex(4)}"
    password = secrets.token_hex(16)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE ROLE {name} LOGIN PASSWORD %s CONNECTION LIMIT {ROLE_LIMIT}", [password]
        )
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {name}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {name}")
    try:
        yield name, password
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name]
            )
            cursor.execute(f"DROP OWNED BY {name}")
            cursor.execute(f"DROP ROLE {name}")


def role_connections(role: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", [role])
        return int(cursor.fetchone()[0])


@pytest.fixture
def start_shop(stripe_accounts, limited_role):
    """Start gunicorn as the Procfile does (gunicorn.conf.py), connected as the limited role,
    with extra environment variables; stopped after the test."""
    role, password = limited_role
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{role}:{password}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    started: list[ShopServer] = []

    def start(**extra: str) -> str:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{port}",
            **stripe_environment(stripe_accounts.url, {"usd": TEST_ACCOUNTS["usd"]}),
            "GUNICORN_WORKERS": str(WORKERS),
            "DJANGO_LOG_LEVEL": "WARNING",
            # The burst comes from one address, faster than a Stripe account's ceiling: the
            # limits are lifted so the test measures connections (the limits have their own).
            "RATE_LIMIT_PER_CLIENT": "100000/s",
            "RATE_LIMIT_PER_STRIPE_ACCOUNT": "100000/s",
            **extra,
        }
        started.append(start_shop_server(env, port=port))
        return started[-1].url

    yield start
    for server in started:
        server.stop()


@dataclass(frozen=True)
class Answer:
    order_id: int
    status: int
    retry_after: str | None
    payment_intent: str | None


def pay(url: str, order_id: int) -> Answer:
    """POST /order/<id>/payment-intent as the card form does (CSRF token, buyer's session)."""
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{url}/order/{order_id}/payment-intent",
        method="POST",
        headers={
            "X-CSRFToken": CSRF_TOKEN,
            "Cookie": f"csrftoken={CSRF_TOKEN}; sessionid={BUYER_SESSION_KEY}",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            body = json.loads(response.read())
            return Answer(order_id, response.status, None, body["paymentIntent"])
    except urllib.error.HTTPError as error:
        return Answer(order_id, error.code, error.headers.get("Retry-After"), None)


def health(url: str) -> tuple[int, str | None]:
    """/healthz's status and Retry-After."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=60) as response:  # noqa: S310
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After")


@dataclass(frozen=True)
class Burst:
    answers: list[Answer]
    most_connections: int  # the most the role held at once meanwhile
    health: list[tuple[int, str | None]]  # /healthz, asked over and over meanwhile


def run_burst(url: str, role: str, order_ids: list[int]) -> Burst:
    """All requests at once, while the role's connections are counted and /healthz asked."""
    most = 0
    probes: list[tuple[int, str | None]] = []
    done = threading.Event()

    def watch() -> None:
        nonlocal most
        try:
            while not done.is_set():
                most = max(most, role_connections(role))
                time.sleep(0.05)
        finally:
            connection.close()

    def probe() -> None:
        while not done.is_set():
            probes.append(health(url))

    watchers = [threading.Thread(target=watch), threading.Thread(target=probe)]
    for watcher in watchers:
        watcher.start()
    try:
        with ThreadPoolExecutor(len(order_ids)) as pool:
            answers = list(pool.map(lambda order_id: pay(url, order_id), order_ids))
    finally:
        done.set()
        for watcher in watchers:
            watcher.join()
    return Burst(answers, most, probes)


def requests_for(orders: list[int], shared: list[int]) -> list[int]:
    """Order ids to request at once: each distinct order once, each shared one from 5 tabs."""
    return orders + [order_id for order_id in shared for _ in range(TABS)]


def payment_intents_by_order() -> dict[str, set[str]]:
    """The PaymentIntents the emulator holds, by the order id in their metadata."""
    created: dict[str, set[str]] = defaultdict(set)
    listed = get_stripe_client(get_account("usd")).v1.payment_intents.list({"limit": 100})
    for intent in listed.auto_paging_iter():
        created[intent.metadata["order_id"]].add(intent.id)
    return created


class TestConnectionBudget:
    @pytest.mark.parametrize(
        ("pool_size", "conn_max_age"),
        [
            ("4", "0"),  # the budget fits: 2 workers x 4 = 8 of the role's 10
            ("8", "0"),  # the defaults, on a plan smaller than they assume: 16 > 10
            # No pool, a connection per request (as `make run`): past 10, "too many
            # connections for role".
            ("0", "0"),
        ],
        ids=["pool-within-budget", "pool-over-budget", "no-pool"],
    )
    def test_fifty_payment_requests_on_a_ten_connection_role_never_answer_500(
        self, start_shop, limited_role, stripe_accounts, pool_size, conn_max_age
    ):
        """50 payment requests on a 10-connection role: 200 or 503 with Retry-After, never 500."""
        # 35 orders, and 3 orders from 5 tabs each; a retry after a 503 succeeds; each order has
        # one PaymentIntent at Stripe, the one every answer names.
        buyer_session()
        item = make_item(price="49.00")
        orders = [make_order(lines=[(item, 1)]).pk for _ in range(DISTINCT_ORDERS)]
        shared = [make_order(lines=[(item, 2)]).pk for _ in range(SHARED_ORDERS)]
        url = start_shop(DATABASE_POOL_SIZE=pool_size, DATABASE_CONN_MAX_AGE=conn_max_age)
        burst = run_burst(url, limited_role[0], requests_for(orders, shared))
        answers = burst.answers

        statuses = Counter(answer.status for answer in answers)
        assert set(statuses) <= {200, 503}, statuses
        assert all(a.retry_after == "5" for a in answers if a.status == 503)
        # /healthz under the burst: up, or 503 with Retry-After while no connection is free.
        assert burst.health
        assert all(status == 200 or (status, retry) == (503, "5") for status, retry in burst.health)
        if pool_size != "0":
            assert burst.most_connections <= WORKERS * int(pool_size)
        retried = [pay(url, a.order_id) for a in answers if a.status == 503]
        assert all(answer.status == 200 for answer in retried), Counter(a.status for a in retried)

        created = payment_intents_by_order()
        shown: dict[str, set[str]] = defaultdict(set)
        for answer in answers + retried:
            if answer.payment_intent:
                shown[str(answer.order_id)].add(answer.payment_intent)
        assert set(created) == {str(order_id) for order_id in orders + shared}
        assert all(len(intents) == 1 for intents in created.values()), created
        assert shown == created
        assert health(url) == (200, None)
        health_statuses = dict(Counter(status for status, _ in burst.health))
        print(  # the figures for the README and the report (pytest -s)
            f"pool {pool_size}: {dict(statuses)}, most connections {burst.most_connections}, "
            f"/healthz meanwhile {health_statuses}"
        )
