"""Idempotency keys and request digests, in one shape: parts joined by "-".

Stripe replays the first answer for 24 hours to a request sent again with the same key
(https://docs.stripe.com/api/idempotent_requests), so a key must be the same for a retry of one
create and new for a create the shop means as another. A digest (SHA-256 of the canonical JSON
of what is sent) stands in the key for the request's content, and on a stored row says whether
the object Stripe holds still matches what the order asks.
"""

from __future__ import annotations

import hashlib
import json

from catalog.models import Order
from payments.exceptions import StripeUnavailable
from payments.models import PaymentKind
from payments.order_keys import add_failed_create, get_order_keys


def compute_request_digest(content: object) -> str:
    """SHA-256 (hex) of `content` as canonical JSON: equal for equal content, key order aside."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def make_idempotency_key(*parts: object) -> str:
    """The key made of `parts`, joined by "-"."""
    return "-".join(str(part) for part in parts)


def make_order_create_key(order: Order, *parts: object, attempt: int) -> str:
    """The key of a create for `order`: "order-<number>-<nonce>-<parts>-v<attempt>".

    The random nonce keeps another database's order of the same number (sharing the Stripe
    account) from getting this one's objects back; `attempt` is new for every create the shop
    starts for the order (`compute_next_attempt`), the same for retries of one.
    """
    return make_idempotency_key(
        "order", order.pk, get_order_keys(order).nonce, *parts, f"v{attempt}"
    )


def compute_next_attempt(order: Order, kind: PaymentKind) -> int:
    """The attempt number in the idempotency key of the order's next Stripe create of `kind`.

    It counts the order's payments of that kind and its failed creates, so it is new for every
    create the shop starts: Stripe stores a 500 under its idempotency key and replays it for
    24 hours, so a create after a failure must not reuse the key. A lost answer is not
    counted (`count_failed_create`): stripe-python's own retries and the buyer's next request
    keep the key, and so get the same object back.
    """
    made = sum(1 for payment in order.payments.all() if payment.kind == kind)
    return made + get_order_keys(order).failed_creates


def count_failed_create(order: Order, failure: StripeUnavailable) -> None:
    """Remember a create that failed with an answer Stripe stored under its idempotency key,
    so the next one uses a fresh key. A failure whose outcome is unknown (a lost answer, the
    same request still running at Stripe) or that Stripe did not store (a 429) keeps the key:
    a fresh one could make a second object beside the one the lost answer carried."""
    if failure.keeps_key:
        return
    add_failed_create(order)
