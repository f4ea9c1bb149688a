"""The shop's Discounts and Taxes as Stripe coupons and tax rates: what Stripe is sent, its
fingerprint, and the create calls. Which object a Discount or Tax maps to in an account, and
the lock that makes one per value set, live in `payments.stripe_objects`.

A coupon's `percent_off`/`amount_off` or a tax rate's `percentage`/`inclusive` cannot be
changed after creation (https://docs.stripe.com/api/coupons/update,
https://docs.stripe.com/api/tax_rates/update), so an edited Discount or Tax gets a new object;
the fingerprint tells the value sets apart.
"""

from __future__ import annotations

from decimal import Decimal

from stripe.params import CouponCreateParams, TaxRateCreateParams

from catalog.models import Discount, Tax
from catalog.money import to_minor_units
from payments.gateway.accounts import StripeAccount, get_stripe_client
from payments.gateway.errors import translate_stripe_errors
from payments.idempotency import compute_request_digest

# Stripe shows at most 40 characters of a coupon's name.
COUPON_NAME_LENGTH = 40


def build_coupon_params(discount: Discount) -> CouponCreateParams:
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


def build_tax_rate_params(tax: Tax) -> TaxRateCreateParams:
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


def compute_fingerprint(params: CouponCreateParams | TaxRateCreateParams) -> str:
    """A short digest of the values Stripe is sent, to tell an edited Discount or Tax apart."""
    return compute_request_digest(params)[:32]


def create_coupon(
    account: StripeAccount, params: CouponCreateParams, *, idempotency_key: str
) -> str:
    """Create a coupon in `account`; return its id."""
    with translate_stripe_errors("Coupon create"):
        coupon = get_stripe_client(account).v1.coupons.create(
            params, options={"idempotency_key": idempotency_key}
        )
    return coupon.id


def create_tax_rate(
    account: StripeAccount, params: TaxRateCreateParams, *, idempotency_key: str
) -> str:
    """Create a tax rate in `account`; return its id."""
    with translate_stripe_errors("TaxRate create"):
        tax_rate = get_stripe_client(account).v1.tax_rates.create(
            params, options={"idempotency_key": idempotency_key}
        )
    return tax_rate.id


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros so 20.00 and 20 give the same fingerprint and wire value."""
    return value.normalize()
