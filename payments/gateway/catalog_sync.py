"""The shop's Discounts and Taxes as Stripe coupons and tax rates, one per account and value set.

Stripe objects are per account, and a coupon's `percent_off`/`amount_off` or a tax rate's
`percentage`/`inclusive` cannot be changed after creation (checklist §4.1, §4.2). So the mapping
is keyed by (discount or tax, account, fingerprint of the values Stripe is sent): an unchanged
Discount reuses its coupon, an edited one gets a new coupon instead of silently charging the old
figure. The Discount or Tax row is locked while its object is made, so two orders racing to use
a new coupon make one Stripe object. The idempotency key names the same three parts and the
caller's attempt: stripe-python's own retries of one create share it, while a later attempt
after a failure gets a fresh one (Stripe stores a 500 under its key and replays it for 24 h).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from stripe.params import CouponCreateParams, TaxRateCreateParams

from catalog.models import Discount, Tax
from catalog.money import to_minor_units
from payments.gateway.accounts import StripeAccount, client_for
from payments.gateway.errors import translate_stripe_errors
from payments.models import StripeCoupon, StripeTaxRate

# Stripe shows at most 40 characters of a coupon's name.
COUPON_NAME_LENGTH = 40


def coupon_params(discount: Discount) -> CouponCreateParams:
    """What Stripe is sent for `discount` (a one-off coupon; duration only matters for plans)."""
    params: CouponCreateParams = {
        "name": discount.name[:COUPON_NAME_LENGTH],
        "metadata": {"discount_id": str(discount.pk)},
    }
    if discount.percent_off is not None:
        # The SDK types percentages as float; a percentage with at most two decimals survives
        # float() exactly in its shortest repr, which is what goes on the wire.
        params["percent_off"] = float(_plain(discount.percent_off))
    else:
        assert discount.amount_off is not None  # a Discount has exactly one of the two
        params["amount_off"] = to_minor_units(discount.amount_off, discount.currency)
        params["currency"] = discount.currency
    return params


def tax_rate_params(tax: Tax) -> TaxRateCreateParams:
    """What Stripe is sent for `tax`: a fixed rate, inclusive or exclusive as configured."""
    params: TaxRateCreateParams = {
        "display_name": tax.display_name,
        "percentage": float(_plain(tax.percentage)),  # at most 4 decimals: exact, as above
        "inclusive": tax.inclusive,
        "metadata": {"tax_id": str(tax.pk)},
    }
    if tax.description:
        params["description"] = tax.description
    return params


def fingerprint(params: CouponCreateParams | TaxRateCreateParams) -> str:
    """A short digest of the values Stripe is sent, to tell an edited Discount or Tax apart."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def coupon_for(discount: Discount, account: StripeAccount, *, attempt: str) -> str:
    """The id of `discount`'s coupon in `account`, created on first use for its current values.

    `attempt` names the caller's attempt (e.g. "order-7-<nonce>-v2") for the idempotency key.
    """
    return _synced_id(
        StripeCoupon,
        owner=discount,
        account=account,
        params=coupon_params(discount),
        create=client_for(account).v1.coupons.create,
        key=f"coupon:{discount.pk}:{attempt}",
    )


def tax_rate_for(tax: Tax, account: StripeAccount, *, attempt: str) -> str:
    """The id of `tax`'s tax rate in `account`, created on first use for its current values."""
    return _synced_id(
        StripeTaxRate,
        owner=tax,
        account=account,
        params=tax_rate_params(tax),
        create=client_for(account).v1.tax_rates.create,
        key=f"tax-rate:{tax.pk}:{attempt}",
    )


def _synced_id(
    model: type[StripeCoupon | StripeTaxRate],
    *,
    owner: Discount | Tax,
    account: StripeAccount,
    params: CouponCreateParams | TaxRateCreateParams,
    create: Callable[..., Any],
    key: str,
) -> str:
    """The stored Stripe id for (owner, account, fingerprint of `params`), else a new object."""
    digest = fingerprint(params)
    owner_field = "discount" if isinstance(owner, Discount) else "tax"
    mappings = model.objects.filter(
        **{owner_field: owner}, account=account.currency, fingerprint=digest
    )
    known = mappings.first()
    if known is not None:
        return known.stripe_id
    with transaction.atomic():
        # Whoever waited on the lock finds the object the holder made.
        type(owner).objects.select_for_update().filter(pk=owner.pk).exists()
        known = mappings.first()
        if known is not None:
            return known.stripe_id
        with translate_stripe_errors():
            created = create(params, {"idempotency_key": f"{key}:{digest}"})
        model.objects.create(
            **{owner_field: owner},
            account=account.currency,
            fingerprint=digest,
            stripe_id=created.id,
        )
    return str(created.id)


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros so 20.00 and 20 give the same fingerprint and wire value."""
    return value.normalize()
