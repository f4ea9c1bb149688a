"""What a /v1 handler is given and how it is declared."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stripe_emulator.config import API_VERSION

if TYPE_CHECKING:
    from stripe_emulator.accounts import Account
    from stripe_emulator.state import EmulatorState


@dataclass
class Call:
    """One authenticated, validated API call."""

    state: EmulatorState
    account: Account
    params: dict[str, Any]
    path: dict[str, str]
    publishable: bool  # made with the publishable key (Stripe.js)
    base_url: str  # where browsers reach the emulator (hosted pages, 3DS)
    api_version: str = API_VERSION  # the request's Stripe-Version (api_versions.py)

    @property
    def now(self) -> int:
        return self.state.clock.now()


Result = dict[str, Any] | Awaitable[dict[str, Any]]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # aiohttp pattern, e.g. "/v1/payment_intents/{intent}"
    handler: Callable[[Call], Result]
    params: type  # the stripe-python TypedDict that lists the accepted parameters
    publishable_params: type | None = None  # set when Stripe.js may call it with the pk
