# Tests read Optional fields the scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,index,arg-type"
"""The events each flow emits, in Stripe's order (oldest first)."""

from __future__ import annotations

import urllib.error
from typing import Any

import pytest
import stripe

from stripe_emulator.testing import RunningEmulator

from .helpers import line, pay, session

SUCCEEDED = ["charge.succeeded", "payment_intent.succeeded", "charge.updated"]
DECLINED = ["charge.failed", "payment_intent.payment_failed"]
RETURN_URL = "https://shop.example/done"


def events(client: stripe.StripeClient) -> list[stripe.Event]:
    """The account's events, oldest first."""
    return list(reversed(client.v1.events.list({"limit": 100}).data))


def types(client: stripe.StripeClient) -> list[str]:
    return [event.type for event in events(client)]


def confirmed(client: stripe.StripeClient, method: str) -> stripe.PaymentIntent:
    try:
        return client.v1.payment_intents.create(
            {"amount": 2000, "currency": "usd", "confirm": True, "payment_method": method,
             "return_url": RETURN_URL}
        )  # fmt: skip
    except stripe.CardError as error:
        return client.v1.payment_intents.retrieve(error.error.payment_intent.id)


def test_card_payment(client: stripe.StripeClient) -> None:
    """created, charge.succeeded, payment_intent.succeeded, then charge.updated as the
    balance transaction is attached (previous value null)."""
    intent = confirmed(client, "pm_card_visa")
    assert types(client) == ["payment_intent.created", *SUCCEEDED]
    updated = events(client)[-1]
    assert updated.data.previous_attributes.to_dict() == {"balance_transaction": None}
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.balance_transaction.startswith("txn_")


def test_declined_payment(client: stripe.StripeClient) -> None:
    """A decline: created, charge.failed, payment_intent.payment_failed; no charge.updated."""
    confirmed(client, "pm_card_chargeDeclined")
    assert types(client) == ["payment_intent.created", *DECLINED]


@pytest.mark.parametrize(
    ("outcome", "after"),
    [("complete", SUCCEEDED), ("fail", ["payment_intent.payment_failed"])],
)
def test_three_d_secure(
    client: stripe.StripeClient, emulator: RunningEmulator, outcome: str, after: list[str]
) -> None:
    """3-D Secure: requires_action first, then the success or failure events."""
    intent = confirmed(client, "pm_card_threeDSecure2Required")
    assert types(client) == ["payment_intent.created", "payment_intent.requires_action"]
    emulator._call("POST", f"/_emulator/3ds/{intent.id}/{outcome}",
                   {"client_secret": intent.client_secret})  # fmt: skip
    assert types(client) == ["payment_intent.created", "payment_intent.requires_action", *after]


def test_checkout(client: stripe.StripeClient, emulator: RunningEmulator) -> None:
    """Checkout brings the PaymentIntent's and charge's events, checkout.session.completed
    after payment_intent.succeeded, and the charge's settlement last."""
    created = session(client, [line(1500)])
    assert types(client) == []  # Stripe has no checkout.session.created event
    pay(emulator, created.id)
    assert types(client) == [
        "payment_intent.created", "charge.succeeded", "payment_intent.succeeded",
        "checkout.session.completed", "charge.updated",
    ]  # fmt: skip


def test_checkout_decline_then_payment(
    client: stripe.StripeClient, emulator: RunningEmulator
) -> None:
    """A declined card on the hosted page, then a good one: one PaymentIntent throughout."""
    created = session(client, [line(1500)])
    with pytest.raises(urllib.error.HTTPError):
        pay(emulator, created.id, "4000000000000002")
    pay(emulator, created.id)
    assert types(client) == [
        "payment_intent.created", *DECLINED, "charge.succeeded", "payment_intent.succeeded",
        "checkout.session.completed", "charge.updated",
    ]  # fmt: skip


def test_refund(client: stripe.StripeClient) -> None:
    """A card refund: refund.created, charge.refunded, then refund.updated and
    charge.refund.updated when the network reference becomes available."""
    intent = confirmed(client, "pm_card_visa")
    client.v1.refunds.create({"payment_intent": intent.id, "amount": 500})
    found = events(client)[4:]
    assert [event.type for event in found] == [
        "refund.created", "charge.refunded", "refund.updated", "charge.refund.updated",
    ]  # fmt: skip
    previous: dict[str, Any] = found[2].data.previous_attributes.to_dict()
    assert previous["destination_details"]["card"]["reference_status"] == "pending"
    assert found[2].data.object.destination_details.card.reference_status == "available"
    refunded: dict[str, Any] = found[1].data.previous_attributes.to_dict()
    assert refunded == {"amount_refunded": 0, "refunded": False}


def test_expiry(client: stripe.StripeClient, emulator: RunningEmulator) -> None:
    """An unpaid session past expires_at: checkout.session.expired, nothing else."""
    session(client, [line(1500)])
    emulator.advance_clock(25 * 3600)
    assert types(client) == ["checkout.session.expired"]


def test_expiry_after_a_failed_attempt(
    client: stripe.StripeClient, emulator: RunningEmulator
) -> None:
    """Expiring a session whose PaymentIntent exists cancels it first."""
    created = session(client, [line(1500)])
    with pytest.raises(urllib.error.HTTPError):
        pay(emulator, created.id, "4000000000000002")
    client.v1.checkout.sessions.expire(created.id)
    assert types(client) == [
        "payment_intent.created", *DECLINED, "payment_intent.canceled", "checkout.session.expired",
    ]  # fmt: skip


def test_cancel(client: stripe.StripeClient) -> None:
    """Canceling a PaymentIntent: payment_intent.canceled."""
    intent = client.v1.payment_intents.create({"amount": 2000, "currency": "usd"})
    client.v1.payment_intents.cancel(intent.id)
    assert types(client) == ["payment_intent.created", "payment_intent.canceled"]
