"""The shop served as production serves it: gunicorn started as the Procfile does (`gunicorn
project.wsgi --config gunicorn.conf.py`), on a free loopback port, for the tests that need real
app processes (project/tests) and for `make bench`'s throughput part (bench/throughput.py).

https://devcenter.heroku.com/articles/python-gunicorn
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# How long a server may take to answer /healthz: a bound on startup on a busy machine, not a
# measurement.
STARTUP_BOUND_SECONDS = 60


@dataclass(frozen=True)
class StripeKeys:
    """One Stripe account's keys, as the shop's STRIPE_<CUR>_* variables name them."""

    secret_key: str
    publishable_key: str
    webhook_secret: str


@dataclass(frozen=True)
class ShopServer:
    """A running gunicorn master process and the address it serves."""

    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), as the platform does on a restart."""
        self.process.terminate()
        self.process.wait(timeout=30)


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stripe_environment(api_base: str, accounts: Mapping[str, StripeKeys]) -> dict[str, str]:
    """The variables that point the shop at `api_base` with one account per currency."""
    variables = {"STRIPE_API_BASE": api_base, "STRIPE_CURRENCIES": ",".join(accounts)}
    for currency, keys in accounts.items():
        prefix = f"STRIPE_{currency.upper()}_"
        variables[prefix + "SECRET_KEY"] = keys.secret_key
        variables[prefix + "PUBLISHABLE_KEY"] = keys.publishable_key
        variables[prefix + "WEBHOOK_SECRET"] = keys.webhook_secret
    return variables


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers (children) of a master process, from Linux's /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master_pid:
                found.append(int(entry.name))
    return found


def start_shop_server(
    env: Mapping[str, str],
    *,
    port: int | None = None,
    workers: int = 0,
    app: str = "project.wsgi",
    args: Sequence[str] = (),
) -> ShopServer:
    """gunicorn with the Procfile's command and config, bound to 127.0.0.1:`port` (a free one if
    None); returns once /healthz answers and at least `workers` workers have started. `app` and
    `args` (gunicorn options, which override the config file's) let `make bench` serve its floor
    apps and other worker classes under the same config."""
    port = port or free_port()
    process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            *args,
        ],
        cwd=BASE_DIR,
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = ShopServer(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + STARTUP_BOUND_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=5):  # noqa: S310
                if len(worker_pids(process.pid)) >= workers:
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait(timeout=30)
    raise RuntimeError("gunicorn did not start")
