"""``python -m stripe_emulator``: options from the command line or ``STRIPE_EMULATOR_*``.

Prints ``stripe-emulator listening on http://HOST:PORT`` as its first line once it accepts
connections, so a parent process can read the URL (useful with ``--port 0``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Sequence

from stripe_emulator import server
from stripe_emulator.config import AccountConfig, Options
from stripe_emulator.faults import SPEC_FORM, Fault
from stripe_emulator.notice import EMULATOR_NOTICE
from stripe_emulator.persistence import StateFileError

ENV_PREFIX = "STRIPE_EMULATOR_"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name.upper().replace("-", "_"), default)


def _delays(text: str) -> tuple[float, ...]:
    return tuple(float(part) for part in text.split(",") if part.strip())


def _flag(text: str | None) -> bool | None:
    return None if text is None else text.strip().lower() in ("1", "true", "yes", "on")


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=_env("host", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(_env("port", "12111") or 12111),
                        help="0 picks a free port")  # fmt: skip
    parser.add_argument(
        "--public-url",
        default=_env("public_url"),
        help="base URL browsers use for hosted pages (default: request host)",
    )


def _add_account_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--account",
        action="append",
        default=None,
        metavar="SECRET_KEY[,WEBHOOK_URL,WEBHOOK_SECRET]",
        help="repeatable; env: several separated by ';'",
    )
    parser.add_argument(
        "--auto-accounts",
        action=argparse.BooleanOptionalAction,
        default=_flag(_env("auto_accounts")),
        help="create an account on first use of any sk_test_ key (default: only when no "
        "--account is given); otherwise unknown keys get Stripe's 401",
    )
    parser.add_argument(
        "--webhook-url",
        default=_env("webhook_url"),
        help="webhook URL for accounts created on first use of a key",
    )
    parser.add_argument("--webhook-secret", default=_env("webhook_secret"))


def _add_fault_and_delivery_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--latency-ms", type=int, default=int(_env("latency_ms", "0") or 0))
    parser.add_argument(
        "--failure-rate",
        type=float,
        default=float(_env("failure_rate", "0") or 0),
        help="fraction of /v1 requests answered 500 api_error",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=None,
        metavar=SPEC_FORM.split(" or ")[0],
        help="a fault on one route or '*': ERROR is api_error, rate_limit, hang, or "
        "latency_ms=N, e.g. 'POST /v1/payment_intents=rate_limit:0.5', '*=hang::1'; "
        "repeatable; env STRIPE_EMULATOR_FAULTS: several separated by ';'",
    )
    parser.add_argument(
        "--webhook-retry-delays",
        type=_delays,
        default=_delays(_env("webhook_retry_delays", "1,5,25") or ""),
        help="seconds between delivery attempts, e.g. 1,5,25",
    )
    parser.add_argument(
        "--state",
        default=_env("state"),
        metavar="FILE",
        help="keep accounts, objects, events and idempotency keys in FILE across restarts",
    )


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m stripe_emulator", description=f"Offline Stripe emulator. {EMULATOR_NOTICE}"
    )
    _add_server_options(parser)
    _add_account_options(parser)
    _add_fault_and_delivery_options(parser)
    env_accounts = [a for a in (_env("account") or "").split(";") if a.strip()]
    env_faults = [f for f in (_env("faults") or "").split(";") if f.strip()]
    args = parser.parse_args(argv)
    try:
        accounts = tuple(AccountConfig.parse(a) for a in (args.account or env_accounts))
        faults = tuple(Fault.parse(f) for f in (args.fault or env_faults))
    except ValueError as exc:
        parser.error(str(exc))
    if not 0 <= args.failure_rate <= 1:
        parser.error("--failure-rate must be between 0 and 1")
    return Options(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        accounts=accounts,
        auto_accounts=args.auto_accounts,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        latency_ms=args.latency_ms,
        failure_rate=args.failure_rate,
        faults=faults,
        webhook_retry_delays=args.webhook_retry_delays,
        state_file=args.state,
    )


async def _serve(options: Options) -> None:
    runner, url = await server.start(options)
    print(f"{server.LISTENING_PREFIX}{url}", flush=True)
    print(EMULATOR_NOTICE, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        asyncio.run(_serve(parse_args(argv)))
    except StateFileError as exc:
        print(f"stripe-emulator: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
