# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Refunds, Coupons and Tax Rates through stripe-python."""

from __future__ import annotations

import pytest
import stripe


def paid(client: stripe.StripeClient, amount: int = 2000) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(
        params={"amount": amount, "currency": "usd", "confirm": True,
                "payment_method": "pm_card_visa",
                "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"}}
    )  # fmt: skip


class TestRefunds:
    def test_partial_then_full(self, client: stripe.StripeClient) -> None:
        """Partial refunds until the remainder is 0; the charge says refunded."""
        intent = paid(client)
        first = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 500})
        rest = client.v1.refunds.create(params={"payment_intent": intent.id})
        assert (first.amount, rest.amount, rest.status) == (500, 1500, "succeeded")
        charge = client.v1.charges.retrieve(intent.latest_charge)
        assert (charge.amount_refunded, charge.refunded) == (2000, True)
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.refunds.create(params={"payment_intent": intent.id})
        assert caught.value.code == "charge_already_refunded"

    def test_over_refund(self, client: stripe.StripeClient) -> None:
        """More than the unrefunded amount is refused with Stripe's wording."""
        intent = paid(client)
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 2001})
        assert caught.value.user_message == (
            "Refund amount ($20.01) is greater than unrefunded amount on charge ($20.00)"
        )

    def test_zero_refund(self, client: stripe.StripeClient) -> None:
        """amount=0 is Stripe's integer bound: `parameter_invalid_integer` on `amount`."""
        intent = paid(client)
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 0})
        error = caught.value.error
        assert (error.code, error.param, error.message) == (
            "parameter_invalid_integer", "amount",
            "This value must be greater than or equal to 1.",
        )  # fmt: skip

    def test_unpaid_intent(self, client: stripe.StripeClient) -> None:
        """A PaymentIntent without a successful charge cannot be refunded."""
        intent = client.v1.payment_intents.create(params={"amount": 900, "currency": "usd"})
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.refunds.create(params={"payment_intent": intent.id})
        assert caught.value.error.param == "payment_intent"


class TestCoupons:
    def test_crud(self, client: stripe.StripeClient) -> None:
        """Create with an id, update the name, delete, then 404."""
        created = client.v1.coupons.create(params={"id": "TEN", "percent_off": 10})
        assert (created.id, created.percent_off, created.duration) == ("TEN", 10, "once")
        assert client.v1.coupons.update("TEN", params={"name": "Ten"}).name == "Ten"
        assert client.v1.coupons.delete("TEN").deleted is True
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.coupons.retrieve("TEN")
        assert caught.value.user_message == "No such coupon: 'TEN'"

    def test_amount_off_needs_currency(self, client: stripe.StripeClient) -> None:
        """amount_off without currency is refused on `currency`."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.coupons.create(params={"amount_off": 100})
        assert caught.value.error.param == "currency"

    def test_percent_off_is_immutable(self, client: stripe.StripeClient) -> None:
        """Only name, metadata and currency_options can change (SDK-derived params)."""
        client.v1.coupons.create(params={"id": "FIVE", "percent_off": 5})
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.coupons.update("FIVE", params={"percent_off": 6})
        assert caught.value.code == "parameter_unknown"


class TestTaxRates:
    def test_create_update_list(self, client: stripe.StripeClient) -> None:
        """Tax rates keep their percentage; active can be switched off and filtered."""
        created = client.v1.tax_rates.create(
            params={"display_name": "VAT", "percentage": 8.25, "inclusive": False}
        )
        assert created.id.startswith("txr_")
        assert created.percentage == 8.25
        client.v1.tax_rates.update(created.id, params={"active": False})
        active = client.v1.tax_rates.list(params={"active": True}).data
        assert created.id not in [r.id for r in active]
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.tax_rates.update(created.id, params={"percentage": 9})
