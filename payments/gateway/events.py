"""Webhook events: verified with the account's signing secret, then read as plain data."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import stripe
from django.views.decorators.debug import sensitive_variables

# stripe-python's default window: a delivery signed longer ago than this is a replay.
TOLERANCE_SECONDS = stripe.Webhook.DEFAULT_TOLERANCE

# Stripe's ids and event types are ASCII words; anything else (a NUL byte PostgreSQL refuses, a
# string longer than the columns) is not an event Stripe sent.
_STRIPE_ID = re.compile(r"[A-Za-z0-9_]{1,255}")
_EVENT_TYPE = re.compile(r"[a-z0-9_.]{1,100}")


class BadSignature(Exception):
    """Missing, forged or stale `Stripe-Signature`, or a timestamp outside the tolerance."""


class NotAnEvent(ValueError):
    """A correctly signed body that is not a snapshot event of the shape Stripe sends."""


@dataclass(frozen=True)
class StripeEvent:
    """A verified event of one account; `object` is `data.object` as plain JSON data."""

    account: str
    id: str
    type: str
    livemode: bool
    object: dict[str, Any]

    @property
    def object_id(self) -> str:
        return str(self.object.get("id", ""))


@sensitive_variables("secret")
def verify_webhook_event(
    *, account: str, secret: str, payload: bytes, signature: str | None
) -> StripeEvent:
    """Verify `payload` (the raw request body) against `signature` and return the event.

    stripe-python checks the HMAC over the exact bytes and refuses timestamps older than the
    tolerance, so a replayed delivery fails; it does not refuse timestamps in the future
    (`WebhookSignature.verify_header` compares with `time.time() - tolerance` only), so that
    side is checked here. The body is then read as an event, or refused with NotAnEvent.
    """
    if not secret:
        raise ValueError("a webhook secret is required; verification is never skipped")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, TOLERANCE_SECONDS)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise BadSignature(str(error)) from error
    _refuse_future_timestamp(signature or "")
    return _event_from_body(account, payload)


def _refuse_future_timestamp(signature: str) -> None:
    # verify_header has parsed `t=` already, so the header is well formed here.
    stamp = int(next(part[2:] for part in signature.split(",") if part.startswith("t=")))
    if stamp > time.time() + TOLERANCE_SECONDS:
        raise BadSignature(f"Timestamp in the future beyond the tolerance ({stamp})")


def _event_from_body(account: str, payload: bytes) -> StripeEvent:
    try:
        data = json.loads(payload)
    except ValueError as error:  # not JSON (verify_header has decoded it as UTF-8 already)
        raise NotAnEvent(f"body is not JSON: {error}") from error
    if b"\\u0000" in payload:  # a NUL character, which no Stripe field holds and PostgreSQL refuses
        raise NotAnEvent("body holds a NUL character")
    if not isinstance(data, dict) or data.get("object") != "event":
        raise NotAnEvent(f"body is not an event object: {type(data).__name__}")
    event_id, event_type, livemode = data.get("id"), data.get("type"), data.get("livemode")
    body = data.get("data")
    stripe_object = body.get("object") if isinstance(body, dict) else None
    if not (isinstance(event_id, str) and _STRIPE_ID.fullmatch(event_id)):
        raise NotAnEvent("event without a valid id")
    if not (isinstance(event_type, str) and _EVENT_TYPE.fullmatch(event_type)):
        raise NotAnEvent(f"event {event_id} without a valid type")
    if not isinstance(livemode, bool) or not isinstance(stripe_object, dict):
        raise NotAnEvent(f"event {event_id} without livemode or data.object")
    object_id = stripe_object.get("id", "")
    if not (isinstance(object_id, str) and (object_id == "" or _STRIPE_ID.fullmatch(object_id))):
        raise NotAnEvent(f"event {event_id} whose object has an invalid id")
    return StripeEvent(
        account=account, id=event_id, type=event_type, livemode=livemode, object=stripe_object
    )


@contextmanager
def refused_if_malformed(kind: str) -> Iterator[None]:
    """Turn a field of the wrong type or missing, met while reading an event's `data.object`
    of `kind`, into NotAnEvent (a 400 at the webhook) instead of a crash."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise NotAnEvent(f"{kind} object with a missing or mistyped field: {error!r}") from error
