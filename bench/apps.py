"""The two apps `python -m bench` compares: the shop (`project.wsgi`) and the floor
(`bench.floor.wsgi`), both started as the Procfile starts the shop (testing.servers, the shop's
gunicorn.conf.py, the same workers and threads), with the same database and Stripe account;
and the rows they serve."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bench.config import ACCOUNTS, NO_RATE_LIMITS
from testing.servers import BASE_DIR, ShopServer, start_shop_server, stripe_environment, worker_pids

WSGI = {"shop": "project.wsgi", "floor": "bench.floor.wsgi"}
SETTINGS = {"shop": "project.settings", "floor": "bench.floor.settings"}


def server_environment(emulator_url: str, database_url: str) -> dict[str, str]:
    """What both apps run with: production settings on loopback, the emulator's account."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Production's logging (INFO), so its cost is in the figures.
        "DJANGO_LOG_LEVEL": "INFO",
        **stripe_environment(emulator_url, ACCOUNTS),
        **NO_RATE_LIMITS,
    }


@dataclass(frozen=True)
class App:
    """A started app: its server and the PostgreSQL application_name its connections carry."""

    name: str
    server: ShopServer

    @property
    def url(self) -> str:
        return self.server.url

    def workers(self) -> list[int]:
        return worker_pids(self.server.process.pid)

    def backends(self) -> list[int]:
        return database_backends(f"bench-{self.name}")


def start_app(name: str, env: Mapping[str, str], args: Sequence[str] = ()) -> App:
    """Serve `name` ("shop" or "floor") under gunicorn.conf.py; RuntimeError if it cannot."""
    workers = int(env.get("GUNICORN_WORKERS", "2"))
    # libpq names each connection after PGAPPNAME: how its PostgreSQL backends are told apart.
    env = {**env, "PGAPPNAME": f"bench-{name}", "DJANGO_SETTINGS_MODULE": SETTINGS[name]}
    return App(name, start_shop_server(env, workers=workers, app=WSGI[name], args=args))


def database_backends(application_name: str) -> list[int]:
    """PostgreSQL backends of one app (local server only; none on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [application_name],
        )
        return [row[0] for row in cursor.fetchall()]


def migrate_floor(database_url: str) -> int:
    """Create the floor's tables (bench/floor/migrations), empty them; the floor item's id."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
    }
    command = [sys.executable, "-m", "django", "migrate", "floor", "--verbosity", "0"]
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True)  # noqa: S603 - fixed arguments
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("floor_delivery", "floor_payment", "floor_order", "floor_item"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        cursor.execute(
            "INSERT INTO floor_item (name, description, price, currency) "
            "VALUES ('Floor cup', 'A cup to measure against.', 15.00, 'usd') RETURNING id"
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def new_floor_orders(count: int) -> list[int]:
    """`count` new floor orders of 15.00 USD (the shop's bench item's price) to pay."""
    from django.db import connection

    ids = []
    with connection.cursor() as cursor:
        for _ in range(count):
            cursor.execute(
                "INSERT INTO floor_order (amount, currency) VALUES (1500, 'usd') RETURNING id"
            )
            row = cursor.fetchone()
            assert row is not None
            ids.append(int(row[0]))
    return ids


def floor_deliveries() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM floor_delivery")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def warm(url: str, paths: Sequence[str], times: int = 20) -> None:
    """GET each path a few times, so imports, templates and connections are warm."""
    for path in paths:
        for _ in range(times):
            with urllib.request.urlopen(url + path, timeout=30) as answer:  # noqa: S310 - loopback
                answer.read()
