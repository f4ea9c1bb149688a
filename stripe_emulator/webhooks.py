"""Signed webhook delivery (https://docs.stripe.com/webhooks#verify-events).

Each event goes to its account's webhook URL as the exact JSON bytes that are signed:
``Stripe-Signature: t=<attempt time>,v1=HMAC-SHA256(secret, f"{t}.{body}")`` with the whole
``whsec_...`` string as key, which ``stripe.Webhook.construct_event`` verifies. The timestamp is
the time of each attempt, so late retries stay inside the SDK's 300 s tolerance. A non-2xx
answer, a redirect or a timeout is retried after each configured delay, then given up.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

from stripe_emulator import ids
from stripe_emulator.encoding import dumps

if TYPE_CHECKING:
    from stripe_emulator.accounts import Account

DELIVERY_LOG_SIZE = 10_000  # the delivery log keeps the most recent deliveries only
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def signature_header(payload: str, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class Delivery:
    id: str
    event: str
    type: str
    account: str
    url: str
    status: str = "pending"  # then "succeeded" or "failed"
    attempts: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.event,
            "type": self.type,
            "account": self.account,
            "url": self.url,
            "status": self.status,
            "attempts": self.attempts,
        }


class WebhookDispatcher:
    def __init__(self, retry_delays: tuple[float, ...], timeout: float) -> None:
        self.retry_delays = retry_delays
        self.timeout = timeout
        self.log: deque[Delivery] = deque(maxlen=DELIVERY_LOG_SIZE)
        self._tasks: dict[asyncio.Task[None], Delivery] = {}
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    def deliver(self, account: Account, event: dict[str, Any]) -> None:
        """Start delivering ``event`` in the background (nothing to do without a URL)."""
        if not account.webhook_url or not account.webhook_secret:
            return
        delivery = Delivery(
            ids.new_id("whdel"), event["id"], event["type"], account.name, account.webhook_url
        )
        self.log.append(delivery)
        task = asyncio.get_running_loop().create_task(
            self._run(delivery, account.webhook_secret, event)
        )
        self._tasks[task] = delivery
        task.add_done_callback(lambda done: self._tasks.pop(done, None))

    async def flush(self, timeout: float) -> list[Delivery]:
        """Wait until every queued delivery has succeeded or given up, for at most ``timeout``
        seconds; return those still pending then (they carry on: nothing is cancelled)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._tasks and (left := deadline - loop.time()) > 0:
            await asyncio.wait(list(self._tasks), timeout=left)
        return list(self._tasks.values())

    def reset(self) -> None:
        for task in self._tasks:
            task.cancel()
        self.log.clear()

    async def _run(self, delivery: Delivery, secret: str, event: dict[str, Any]) -> None:
        delays = (0.0, *self.retry_delays)
        for attempt, delay in enumerate(delays, start=1):
            if delay:
                await asyncio.sleep(delay)
            status, error = await self._post(delivery.url, secret, event)
            delivery.attempts.append(
                {"attempt": attempt, "at": int(time.time()), "status": status, "error": error}
            )
            if status is not None and 200 <= status < 300:
                delivery.status = "succeeded"
                event["pending_webhooks"] = max(event["pending_webhooks"] - 1, 0)
                return
        delivery.status = "failed"

    async def _post(
        self, url: str, secret: str, event: dict[str, Any]
    ) -> tuple[int | None, str | None]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        # Real deliveries are pretty-printed; what matters is signing the bytes that are sent.
        payload = dumps(event, indent=2)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Stripe-Signature": signature_header(payload, secret, int(time.time())),
        }
        try:
            async with self._session.post(
                url,
                data=payload.encode(),
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as response:
                await response.read()
                return response.status, None
        except (aiohttp.ClientError, TimeoutError) as exc:
            return None, f"{type(exc).__name__}: {exc}"
