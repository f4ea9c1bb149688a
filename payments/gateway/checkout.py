"""Checkout Sessions: create, retrieve and expire, in the account of the order's currency.

The request crosses in as a `CheckoutRequest` (built by `payments.checkout` from the order) and
the session comes back as a `CheckoutSession`; nothing here decides what to charge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from stripe.params.checkout import SessionCreateParams, SessionCreateParamsLineItem

from payments.exceptions import SessionNotOpen
from payments.gateway.accounts import StripeAccount, get_quick_client, get_stripe_client
from payments.gateway.errors import translate_stripe_errors
from payments.gateway.events import refused_if_malformed


@dataclass(frozen=True)
class CheckoutLine:
    """One line item: a product name, its unit price in minor units, and a quantity."""

    name: str
    unit_amount: int
    quantity: int


@dataclass(frozen=True)
class CheckoutRequest:
    """Everything a session for one order is made of; equal requests make equal sessions."""

    order_id: int
    currency: str
    lines: tuple[CheckoutLine, ...]
    coupon_id: str | None
    tax_rate_id: str | None
    success_url: str
    cancel_url: str
    language: str  # the page's language: Checkout speaks it too
    digest: str  # SHA-256 of all the above: equal digests, equal sessions


@dataclass(frozen=True)
class CheckoutSession:
    """What the shop reads back from a session (amounts in minor units)."""

    id: str
    url: str | None  # only while the session is open
    status: str  # open, complete or expired
    payment_status: str  # paid, unpaid or no_payment_required
    amount_total: int
    currency: str
    payment_intent_id: str  # empty until the buyer pays (Stripe makes it lazily)
    order_id: str

    @classmethod
    def from_stripe(cls, session: stripe.checkout.Session) -> CheckoutSession:
        return cls.from_event_object(session.to_dict())

    @classmethod
    def from_event_object(cls, data: dict[str, Any]) -> CheckoutSession:
        """Read a session from an API answer or a (signature-checked) webhook event."""
        with refused_if_malformed("checkout.session"):
            intent = data.get("payment_intent") or ""
            return cls(
                id=str(data["id"]),
                url=data.get("url"),
                status=str(data.get("status") or ""),
                payment_status=str(data.get("payment_status") or ""),
                amount_total=int(data.get("amount_total") or 0),
                currency=str(data.get("currency") or ""),
                payment_intent_id=str(intent["id"] if isinstance(intent, dict) else intent),
                order_id=str((data.get("metadata") or {}).get("order_id", "")),
            )


# The shop's languages (settings.LANGUAGES), all of which Checkout speaks; for any other,
# "auto" lets Checkout follow the buyer's browser.
CHECKOUT_LOCALES = frozenset({"en", "ru"})


def get_checkout_locale(language: str) -> str:
    """Checkout's `locale` for a page in `language` ("ru", "en-us", …)."""
    code = language.lower().split("-")[0]
    return code if code in CHECKOUT_LOCALES else "auto"


def build_session_params(request: CheckoutRequest) -> SessionCreateParams:
    """The Create Session request for `request` (https://docs.stripe.com/api/checkout/sessions/create)."""
    order_metadata = {"order_id": str(request.order_id)}
    params: SessionCreateParams = {
        "mode": "payment",
        "line_items": [_line_item(line, request) for line in request.lines],
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
        "client_reference_id": str(request.order_id),
        "metadata": order_metadata,
        # Checkout's PaymentIntent emits payment_intent.* events too: the order id routes them.
        "payment_intent_data": {"metadata": order_metadata},
        # Accounts can default automatic tax on for sessions that omit it, and Stripe refuses
        # manual tax rates alongside it, so say explicitly that the rates given here apply.
        "automatic_tax": {"enabled": False},
        "locale": get_checkout_locale(request.language),
    }
    if request.coupon_id is not None:
        params["discounts"] = [{"coupon": request.coupon_id}]
    return params


def _line_item(line: CheckoutLine, request: CheckoutRequest) -> SessionCreateParamsLineItem:
    item: SessionCreateParamsLineItem = {
        "price_data": {
            "currency": request.currency,
            "unit_amount": line.unit_amount,
            "product_data": {"name": line.name},
        },
        "quantity": line.quantity,
    }
    if request.tax_rate_id is not None:
        item["tax_rates"] = [request.tax_rate_id]
    return item


def create_checkout_session(
    account: StripeAccount, request: CheckoutRequest, *, idempotency_key: str
) -> CheckoutSession:
    """Create a hosted Checkout Session for `request` in `account`."""
    with translate_stripe_errors():
        session = get_stripe_client(account).v1.checkout.sessions.create(
            build_session_params(request), {"idempotency_key": idempotency_key}
        )
    return CheckoutSession.from_stripe(session)


def retrieve_checkout_session(account: StripeAccount, session_id: str) -> CheckoutSession:
    """The session as Stripe knows it now (StripeObjectGone for an id `account` does not hold)."""
    with translate_stripe_errors():
        session = get_stripe_client(account).v1.checkout.sessions.retrieve(session_id)
    return CheckoutSession.from_stripe(session)


def expire_checkout_session(
    account: StripeAccount, session_id: str, *, quick: bool = False
) -> CheckoutSession:
    """Close an open session so it can no longer be paid (its content went stale, or another
    attempt paid the order). `quick`: as for `cancel_payment_intent`.

    Raises SessionNotOpen when Stripe refuses because the session is not open any more (it
    was completed or expired): Stripe only expires open sessions and gives that refusal no
    code of its own, so any refusal other than `resource_missing` is read as that.
    """
    client = get_quick_client(account) if quick else get_stripe_client(account)
    with translate_stripe_errors("Checkout Session expire"):
        try:
            session = client.v1.checkout.sessions.expire(session_id)
        except stripe.InvalidRequestError as error:
            if error.code == "resource_missing":
                raise
            raise SessionNotOpen(str(error)) from error
    return CheckoutSession.from_stripe(session)
