# Sessions and PaymentIntents are made from plain dicts of test parameters, not the SDK's
# TypedDicts.
# mypy: disable-error-code="arg-type,typeddict-item"
"""Small steps the emulator's API tests share: raw HTTP requests, Checkout Sessions and their
line items, paying a session as the hosted page does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import stripe

from stripe_emulator.testing import RunningEmulator

SECRET_KEY = "sk_test_emucore"
WEBHOOK_SECRET = "whsec_emucore0123456789abcdefghijklmnopqrstuv"


def make_client(emulator: RunningEmulator, key: str, **options: Any) -> stripe.StripeClient:
    options.setdefault("max_network_retries", 0)
    return stripe.StripeClient(key, base_addresses={"api": emulator.url}, **options)


@dataclass
class Receiver:
    """A webhook endpoint: records (headers, body) and answers the queued statuses, then 200."""

    url: str = ""
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    times: list[tuple[float, float]] = field(default_factory=list)  # (monotonic, wall) at receipt

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


def raw(
    emulator: RunningEmulator, method: str, path: str, body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], dict[str, Any]]:  # fmt: skip
    data = body.encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - the emulator on loopback
        emulator.url + path, data, headers or {},
        method=method,
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def line(amount: int, quantity: int = 1, currency: str = "usd", rates: list[str] | None = None,
         name: str = "Item") -> dict[str, Any]:  # fmt: skip
    item: dict[str, Any] = {
        "price_data": {"currency": currency, "unit_amount": amount,
                       "product_data": {"name": name}},
        "quantity": quantity,
    }  # fmt: skip
    if rates:
        item["tax_rates"] = rates
    return item


def session(client: stripe.StripeClient, lines: list[dict[str, Any]], **params: Any) -> Any:
    return client.v1.checkout.sessions.create(
        params={"mode": "payment", "success_url": "https://shop/ok?cs={CHECKOUT_SESSION_ID}",
                "cancel_url": "https://shop/cancel", "line_items": lines, **params}
    )  # fmt: skip


def pay(emulator: RunningEmulator, session_id: str, number: str = "4242424242424242") -> Any:
    card = {"number": number, "exp_month": "12", "exp_year": "2040", "cvc": "123"}
    return emulator._call("POST", f"/_emulator/checkout/{session_id}/pay",
                          {"card": card, "email": "buyer@example.com", "name": "B"})  # fmt: skip


RETURN_URL = "https://shop.example/return?order=1&x=a%20b"
NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}


def create_intent(client: stripe.StripeClient, **params: object) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(params={"amount": 2000, "currency": "usd", **params})


def confirm_with(client: stripe.StripeClient, method: str) -> stripe.PaymentIntent:
    intent = create_intent(client, automatic_payment_methods=NO_REDIRECTS)
    return client.v1.payment_intents.confirm(intent.id, params={"payment_method": method})
