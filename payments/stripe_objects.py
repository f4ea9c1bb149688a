"""Which Stripe coupon or tax rate stands for a Discount or Tax in one account, made on first use.

Stripe objects are per account and can't change their amounts, so the mapping is keyed by
(discount or tax, account, fingerprint of the values Stripe is sent): an unchanged Discount
reuses its coupon, an edited one gets a new coupon instead of silently charging the old figure.
The Discount or Tax row is locked while its object is made, so two orders racing to use a new
coupon make one Stripe object. The idempotency key names the same three parts and the caller's
attempt: stripe-python's own retries of one create share it, while a later attempt after a
failure gets a fresh one (Stripe stores a 500 under its key and replays it for 24 h).
The Stripe calls themselves are `payments.gateway.catalog_sync`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from catalog.models import Discount, Tax
from payments.gateway.accounts import StripeAccount
from payments.gateway.catalog_sync import (
    build_coupon_params,
    build_tax_rate_params,
    compute_fingerprint,
    create_coupon,
    create_tax_rate,
)
from payments.idempotency import make_idempotency_key
from payments.locks import lock_row
from payments.models import StripeCoupon, StripeTaxRate

logger = logging.getLogger("payments")


def get_or_create_coupon_id(discount: Discount, account: StripeAccount, *, attempt: str) -> str:
    """The id of `discount`'s coupon in `account`, created on first use for its current values.

    `attempt` names the caller's attempt (e.g. "order-7-<nonce>-v2") for the idempotency key.
    """
    params = build_coupon_params(discount)
    return _synced_id(
        StripeCoupon,
        owner=discount,
        account=account,
        digest=compute_fingerprint(params),
        create=lambda key: create_coupon(account, params, idempotency_key=key),
        key=make_idempotency_key("coupon", discount.pk, attempt),
    )


def get_or_create_tax_rate_id(tax: Tax, account: StripeAccount, *, attempt: str) -> str:
    """The id of `tax`'s tax rate in `account`, created on first use for its current values."""
    params = build_tax_rate_params(tax)
    return _synced_id(
        StripeTaxRate,
        owner=tax,
        account=account,
        digest=compute_fingerprint(params),
        create=lambda key: create_tax_rate(account, params, idempotency_key=key),
        key=make_idempotency_key("tax-rate", tax.pk, attempt),
    )


def forget_stripe_ids(account: StripeAccount, *stripe_ids: str | None) -> None:
    """Forget the coupons and tax rates among `stripe_ids` that `account` no longer holds
    (Stripe answered `resource_missing` for a request naming them), so their next use makes
    new ones. A named object that still exists is made again too: Stripe's error does not
    reliably say which id it missed, and one spare coupon costs nothing."""
    known = [stripe_id for stripe_id in stripe_ids if stripe_id]
    for model in (StripeCoupon, StripeTaxRate):
        forgotten, _ = model.objects.filter(account=account.currency, stripe_id__in=known).delete()
        if forgotten:
            logger.warning(
                "Forgot %s %s in %s: gone from Stripe", model.__name__, known, account.currency
            )


def _synced_id(
    model: type[StripeCoupon | StripeTaxRate],
    *,
    owner: Discount | Tax,
    account: StripeAccount,
    digest: str,
    create: Callable[[str], str],
    key: str,
) -> str:
    """The stored Stripe id for (owner, account, `digest`), else one made by `create(key)`."""
    owner_field = "discount" if isinstance(owner, Discount) else "tax"
    mappings = model.objects.filter(
        **{owner_field: owner}, account=account.currency, fingerprint=digest
    )
    known = mappings.first()
    if known is not None:
        return known.stripe_id
    with transaction.atomic():
        # Whoever waited on the lock finds the object the holder made.
        lock_row(type(owner), owner.pk)
        known = mappings.first()
        if known is not None:
            return known.stripe_id
        stripe_id = create(make_idempotency_key(key, digest))
        model.objects.create(
            **{owner_field: owner},
            account=account.currency,
            fingerprint=digest,
            stripe_id=stripe_id,
        )
    return stripe_id
