"""Closed-loop POST load (aiohttp): `clients` concurrent clients take the next request from one
list until it is empty, each sending its next request once the previous one is answered."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from bench.measure import Failures

CSRF_TOKEN = "benchcsrftoken0123456789abcdefgh"  # noqa: S105 - any 32 chars matching the cookie


@dataclass(frozen=True)
class Post:
    """One request to send: its URL, headers and body."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def buyer_headers(session_key: str) -> dict[str, str]:
    """What the card form's fetch sends: the buyer's session cookie and the CSRF token."""
    return {
        "X-CSRFToken": CSRF_TOKEN,
        "Cookie": f"csrftoken={CSRF_TOKEN}; sessionid={session_key}",
    }


async def _run(queues: list[Iterator[Post]]) -> tuple[int, float, Failures]:
    import aiohttp

    failures = Failures()
    ok = 0

    async def client(session: aiohttp.ClientSession, queue: Iterator[Post]) -> None:
        nonlocal ok
        for post in queue:
            try:
                async with session.post(post.url, headers=post.headers, data=post.body) as r:
                    body = await r.read()
                    if 200 <= r.status < 300:
                        ok += 1
                    else:
                        failures.add(str(r.status), body.decode(errors="replace"))
            except (aiohttp.ClientError, TimeoutError) as error:
                failures.add("no answer", f"{type(error).__name__}: {error}")

    connector = aiohttp.TCPConnector(limit=len(queues))
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.monotonic()
        await asyncio.gather(*(client(session, queue) for queue in queues))
        return ok, time.monotonic() - started, failures


def post_all(posts: list[Post], clients: int) -> tuple[int, float, float, Failures]:
    """Send every post once, `clients` at a time, in order: (2xx answers, elapsed seconds,
    this process's CPU seconds, failures)."""
    shared = iter(posts)  # one iterator for all clients: each post is sent once
    return post_sequences([shared] * clients)


def post_sequences(sequences: Sequence[Iterable[Post]]) -> tuple[int, float, float, Failures]:
    """One client per sequence, each sending its own posts in turn; as `post_all` returns."""
    cpu_before = time.process_time()
    ok, elapsed, failures = asyncio.run(_run([iter(s) for s in sequences]))
    return ok, elapsed, time.process_time() - cpu_before, failures
