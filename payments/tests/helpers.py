"""What the payments tests share: signed webhook deliveries made the way Stripe makes them (real
HMAC-SHA256), paying as the buyer's browser would, reading Stripe as the Dashboard would, and
the requests the emulator received."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import stripe
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.client import Client as DjangoClient
from django.utils import timezone

from catalog.models import Order
from catalog.tests.factories import BUYER_SESSION_KEY, make_item, make_order
from payments.gateway.accounts import get_account, get_stripe_client
from payments.models import Payment, PaymentKind
from stripe_emulator.testing import RunningEmulator
from testing.accounts import SECRET_KEYS, WEBHOOK_SECRETS


def build_payment(order: Order, stripe_id: str, *, amount: int = 3000, **fields: Any) -> Payment:
    """An unsaved USD PaymentIntent payment of `order` for `amount` cents, with `fields` (a
    status, say) on top; save it, or write it the way the code under test writes one."""
    return Payment(
        order=order,
        kind=PaymentKind.PAYMENT_INTENT,
        account="usd",
        stripe_id=stripe_id,
        amount=amount,
        shop_amount=amount,
        currency="usd",
        **fields,
    )


def make_payment(order: Order, stripe_id: str, *, amount: int = 3000, **fields: Any) -> Payment:
    """`build_payment`'s payment, saved."""
    payment = build_payment(order, stripe_id, amount=amount, **fields)
    payment.save()
    return payment


def signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header: t=<unix time>,v1=HMAC(secret, "<t>.<body>")."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256)
    return f"t={stamp},v1={digest.hexdigest()}"


def intent_event(
    event_type: str,
    payment: Payment,
    *,
    event_id: str = "evt_test_1",
    amount: int | None = None,
    currency: str | None = None,
    error: str | None = None,
    livemode: bool = False,
) -> bytes:
    """A snapshot `payment_intent.*` event for the payment's PaymentIntent."""
    amount = payment.shop_amount if amount is None else amount
    status = {
        "payment_intent.succeeded": "succeeded",
        "payment_intent.payment_failed": "requires_payment_method",
        "payment_intent.processing": "processing",
        "payment_intent.canceled": "canceled",
    }.get(event_type, "requires_payment_method")
    intent: dict[str, Any] = {
        "id": payment.stripe_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": currency or payment.currency,
        "status": status,
        "metadata": {"order_id": str(payment.order_id)},
        "last_payment_error": {"message": error, "code": "card_declined"} if error else None,
    }
    event = {
        "id": event_id,
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "livemode": livemode,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": intent},
    }
    return json.dumps(event, indent=2).encode()


def deliver(
    client: DjangoClient | Client,
    payload: bytes,
    *,
    currency: str = "usd",
    secret: str | None = None,
    header: str | None = None,
) -> Any:
    """POST the payload to the currency's webhook endpoint, signed with its secret."""
    if header is None:
        header = signature(payload, secret or WEBHOOK_SECRETS[currency])
    return client.post(
        f"/payments/webhook/{currency}/",
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )


def creates(emulator) -> list[dict[str, Any]]:
    return [
        r
        for r in emulator.requests()
        if (r["method"], r["path"]) == ("POST", "/v1/payment_intents")
    ]


def pay_server_side(payment: Payment, card: str = "pm_card_visa") -> None:
    """Confirm the PaymentIntent as Stripe.js would after the buyer typed a card."""
    get_stripe_client(get_account(payment.account)).v1.payment_intents.confirm(
        payment.stripe_id,
        {"payment_method": card, "return_url": "http://testserver/payments/result/"},
    )


def posts(emulator: RunningEmulator, path: str) -> list[dict[str, Any]]:
    """The POSTs to `path` the emulator received, oldest first."""
    return [r for r in emulator.requests() if r["method"] == "POST" and r["path"] == path]


def session_creates(emulator: RunningEmulator) -> list[dict[str, Any]]:
    return posts(emulator, "/v1/checkout/sessions")


def retrieve(emulator: RunningEmulator, currency: str, session_id: str) -> Any:
    """The session as the emulator holds it, read as a Dashboard would."""
    client = stripe.StripeClient(SECRET_KEYS.get(currency, "sk_test_shopjpy"),
                                 base_addresses={"api": emulator.url})  # fmt: skip
    return client.v1.checkout.sessions.retrieve(session_id)


def pay(emulator: RunningEmulator, session_id: str, card: str = "4242424242424242") -> Any:
    """Pay the session on the emulator's hosted page, headlessly (its JSON pay route)."""
    body = {"card": {"number": card, "exp_month": 12, "exp_year": 2040, "cvc": "123"},
            "email": "buyer@example.com", "name": "Ada Buyer"}  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 - the local emulator
        f"{emulator.url}/_emulator/checkout/{session_id}/pay",
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def buy(client: Client, url: str, status: int = 200) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    answer: dict[str, Any] = response.json()
    return answer


def card_payment(client: Client, currency: str = "usd") -> Payment:
    """An order with the PaymentIntent the card form made for it."""
    order = make_order(lines=[(make_item(currency=currency, price="49.00"), 1)])
    assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
    return Payment.objects.get(order=order)


def checkout_payment(client: Client) -> Payment:
    """A one-item order with the Checkout Session `GET /buy/<id>` made for it."""
    answer = buy(client, f"/buy/{make_item(price='15.00').pk}")
    return Payment.objects.get(stripe_id=answer["id"])


def age(payment: Payment, hours: int) -> None:
    """Make the attempt `hours` old, as if it had been made then."""
    made = timezone.now() - timedelta(hours=hours)
    Payment.objects.filter(pk=payment.pk).update(created_at=made)


def stripe_intent(payment: Payment) -> Any:
    return get_stripe_client(get_account(payment.account)).v1.payment_intents.retrieve(
        payment.stripe_id
    )


def stripe_session(payment: Payment) -> Any:
    sessions = get_stripe_client(get_account(payment.account)).v1.checkout.sessions
    return sessions.retrieve(payment.stripe_id)


def posts_ending(emulator: RunningEmulator, suffix: str) -> list[dict[str, Any]]:
    return [r for r in emulator.requests() if r["method"] == "POST" and r["path"].endswith(suffix)]


def statuses(payment: Payment) -> tuple[str, str]:
    payment.refresh_from_db()
    return payment.status, Order.objects.get(pk=payment.order_id).status


def dashboard_refund(payment: Payment, amount: int | None = None) -> stripe.Refund:
    """A refund made at Stripe with the account's secret key, as the Dashboard makes it."""
    dashboard = stripe.StripeClient(
        SECRET_KEYS["usd"], base_addresses={"api": settings.STRIPE_API_BASE}
    )
    params: dict[str, Any] = {"payment_intent": payment.stripe_id}
    if amount is not None:
        params["amount"] = amount
    return dashboard.v1.refunds.create(params)  # type: ignore[arg-type]


THREADS = 8


def at_once(work: Callable[[int], Any], threads: int = THREADS) -> list[Any]:
    """Run work(0…n-1) in n threads released together; return results (or exceptions)."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # reported by the assertions on results
            results[index] = error
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


def buyer() -> Client:
    """A client in the session that `make_order` places orders in (made with the order)."""
    client = Client()
    client.cookies["sessionid"] = BUYER_SESSION_KEY
    return client


def stripe_intent_by_id(intent_id):
    return get_stripe_client(get_account("usd")).v1.payment_intents.retrieve(intent_id)
