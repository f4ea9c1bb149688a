"""`make bench`, the floor part: the shop and its floors (bench/floor) under the same gunicorn
settings, measured in interleaved rounds (who goes first alternates), each figure a ratio to its
floor. Run by `python -m bench` after its setup (database, emulator)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bench.apps import App, floor_deliveries, new_floor_orders, warm
from bench.config import WEBHOOK_SECRET
from bench.load import Post, buyer_headers, post_all
from bench.measure import Failures, Meter, Sample, alternate
from bench.signing import signature_header, succeeded_event
from bench.wrk import run_wrk

CLIENTS = 16  # closed-loop clients for the endpoint and the webhook (within 2 x 8 connections)
ENDPOINT_LATENCY_MS = 0  # the emulator answers at once: CPU, not waiting, is measured


@dataclass
class Results:
    """Samples by figure and app, failures by "figure, app", the exactly-once checks."""

    samples: dict[str, dict[str, list[Sample]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    failures: dict[str, Failures] = field(default_factory=lambda: defaultdict(Failures))
    once: list[str] = field(default_factory=list)

    def add(self, figure: str, app: str, result: tuple[Sample, Failures], label: str = "") -> None:
        """Record a sample; its failures under `label` (default "figure, app")."""
        self.samples[figure][app].append(result[0])
        self.failures[label or f"{figure}, {app}"].merge(result[1])


@dataclass
class Floors:
    """The two started apps, the emulator, the rows their pages show, and the load sizes."""

    shop: App
    floor: App
    emulator: Any
    shop_item: int
    floor_item: int
    seconds: float
    creates: int
    results: Results = field(default_factory=Results)

    def _meter(self, app: App) -> Meter:
        other = self.floor if app is self.shop else self.shop
        emulator = self.emulator.process.pid
        return Meter(
            lambda: {
                "workers": app.workers(),
                "postgres": app.backends(),
                "emulator": [emulator],
                "idle app": other.workers() + other.backends(),
            }
        )

    def _page(self, app: App, path: str) -> tuple[Sample, Failures]:
        failures = Failures()

        def load() -> tuple[int, float, float]:
            ok, elapsed, cpu, found = run_wrk(app.url + path, self.seconds)
            failures.merge(found)
            return ok, elapsed, cpu

        return self._meter(app).run(load), failures

    def _posts(self, app: App, posts: list[Post]) -> tuple[Sample, Failures]:
        failures = Failures()

        def load() -> tuple[int, float, float]:
            ok, elapsed, cpu, found = post_all(posts, CLIENTS)
            failures.merge(found)
            return ok, elapsed, cpu

        return self._meter(app).run(load), failures

    def warm_up(self) -> None:
        """Serve each kind of request a few times on both apps before anything is measured."""
        from bench.rows import new_orders

        warm(self.shop.url, [f"/item/{self.shop_item}", "/"])
        warm(self.floor.url, [f"/item/{self.floor_item}"])
        orders = new_orders(self.shop_item, CLIENTS)
        self._posts(self.shop, [create_post(self.shop.url, order) for order in orders])
        self._posts(self.floor, [create_post(self.floor.url, None)] * CLIENTS)
        floor_orders = new_floor_orders(CLIENTS)
        self._posts(self.floor, [locked_post(self.floor.url, order) for order in floor_orders])
        self._posts(self.shop, _deliveries(self.shop.url + "/payments/webhook/usd/", orders))
        self._posts(self.floor, _deliveries(self.floor.url + "/webhook", orders))

    def round(self, number: int) -> None:
        """One round: pages, endpoint, webhook, each app in the order the round gives."""
        from bench.rows import check_once, new_orders

        first, second = alternate(number + 1, self.shop, self.floor)[number]
        for app in (first, second):
            if app is self.shop:
                self.results.add("item page", "shop", self._page(app, f"/item/{self.shop_item}"))
                self.results.add("catalog page", "shop", self._page(app, "/"))
            else:
                # One floor page for both shop pages: its failures are counted once.
                sample, failures = self._page(app, f"/item/{self.floor_item}")
                self.results.add("item page", "floor", (sample, failures), "page, floor")
                self.results.add("catalog page", "floor", (sample, Failures()), "page, floor")
        self.emulator.set_fault("*", latency_ms=ENDPOINT_LATENCY_MS)
        orders = new_orders(self.shop_item, self.creates)
        floor_orders = new_floor_orders(self.creates)
        for app in (first, second):
            if app is self.shop:
                posts = [create_post(app.url, order) for order in orders]
                self.results.add("endpoint", "shop", self._posts(app, posts))
            else:
                posts = [create_post(app.url, None)] * len(orders)
                self.results.add("endpoint", "floor", self._posts(app, posts))
                posts = [locked_post(app.url, order) for order in floor_orders]
                self.results.add("endpoint", "locked floor", self._posts(app, posts))
        self.emulator.clear_faults()
        floor_before = floor_deliveries()
        for app in (first, second):
            path = "/payments/webhook/usd/" if app is self.shop else "/webhook"
            self.results.add(
                "webhook", app.name, self._posts(app, _deliveries(app.url + path, orders))
            )
        self.results.once.append(check_once(orders, floor_deliveries() - floor_before))


def create_post(url: str, order_id: int | None) -> Post:
    """The card form's POST: the shop's endpoint for `order_id`, or the floor's."""
    path = "/intent" if order_id is None else f"/order/{order_id}/payment-intent"
    return _buyer_post(url + path)


def locked_post(url: str, floor_order_id: int) -> Post:
    """The locked floor's POST for one of its orders (bench.floor.views.locked_payment_intent)."""
    return _buyer_post(f"{url}/order/{floor_order_id}/intent")


def _buyer_post(url: str) -> Post:
    """A POST to `url` with the test buyer's session cookie and CSRF token, as the card form's."""
    from catalog.tests.factories import BUYER_SESSION_KEY

    return Post(url, buyer_headers(BUYER_SESSION_KEY))


def _deliveries(url: str, order_ids: list[int]) -> list[Post]:
    """A signed `payment_intent.succeeded` for each order's payment, each delivered twice in a
    row (the second may arrive while the first is being handled, as Stripe's retries can)."""
    from bench.rows import intents_of

    posts = []
    for intent in intents_of(order_ids):
        body = succeeded_event(f"evt_bench{secrets.token_hex(8)}", **intent)
        headers = {
            "Content-Type": "application/json",
            "Stripe-Signature": signature_header(body, WEBHOOK_SECRET),
        }
        posts += [Post(url, headers, body)] * 2
    return posts


def run_floors(emulator: Any, database_url: str, args: Any, shape: str) -> int:
    """Start both apps, warm them, run the rounds, print; the exit status (1: not measured)."""
    from bench.apps import migrate_floor, server_environment, start_app
    from bench.report import measured, print_floors
    from catalog.tests.factories import make_item

    floor_item = migrate_floor(database_url)
    shop_item = make_item(name="Bench page cup", description="A cup to measure with.").pk
    env = server_environment(emulator.url, database_url)
    apps: list[App] = []
    try:
        for name in ("shop", "floor"):
            apps.append(start_app(name, env))
        shop, floor = apps
        floors = Floors(shop, floor, emulator, shop_item, floor_item, args.seconds, args.creates)
        floors.warm_up()
        for number in range(args.rounds):
            floors.round(number)
    except RuntimeError as error:  # a server that did not start, wrk that could not run
        print(f"Could not measure the floors: {error}")
        return 1
    finally:
        for app in apps:
            app.server.stop()
    print_floors(floors.results, shape, args.rounds)
    missing = measured(floors.results)
    if missing:
        print("Nothing answered for: " + ", ".join(missing))
        return 1
    return 0
