# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""PaymentIntents through stripe-python: shapes, states, validation, card outcomes."""

from __future__ import annotations

import re

import pytest
import stripe

from stripe_emulator.testing import RunningEmulator

from .helpers import confirm_with, create_intent, line, make_client


class TestCreate:
    def test_shape(self, client: stripe.StripeClient) -> None:
        """A new PaymentIntent has Stripe's id, secret and initial fields."""
        intent = create_intent(client, metadata={"order_id": "7"})
        assert re.fullmatch(r"pi_[A-Za-z0-9]{24}", intent.id)
        assert re.fullmatch(rf"{intent.id}_secret_[A-Za-z0-9]{{25}}", intent.client_secret or "")
        assert (intent.status, intent.amount_received, intent.livemode) == (
            "requires_payment_method", 0, False,
        )  # fmt: skip
        assert intent.metadata.to_dict() == {"order_id": "7"}
        assert intent.latest_charge is None
        assert intent.payment_method_types == ["card"]

    @pytest.mark.parametrize(
        ("amount", "currency", "code", "message"),
        [
            (49, "usd", "amount_too_small", "Amount must be at least $0.50 usd"),
            (29, "gbp", "amount_too_small", "Amount must be at least £0.30 gbp"),
            (49, "jpy", "amount_too_small", "Amount must be at least ¥50 jpy"),
            (100_000_000, "usd", "amount_too_large", None),
            (0, "usd", "parameter_invalid_integer",
             "This value must be greater than or equal to 1."),
            (-5, "usd", "parameter_invalid_integer",
             "This value must be greater than or equal to 1."),
        ],
    )  # fmt: skip
    def test_amount_limits(
        self, client: stripe.StripeClient, amount: int, currency: str, code: str,
        message: str | None,
    ) -> None:  # fmt: skip
        """Amounts under 1, under the currency's minimum or over its maximum are refused on
        `amount` with Stripe's code and wording."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create_intent(client, amount=amount, currency=currency)
        assert (caught.value.code, caught.value.error.param) == (code, "amount")
        if message:
            assert caught.value.user_message == message

    def test_jpy_allows_ten_digits(self, client: stripe.StripeClient) -> None:
        """JPY card amounts may have 10 digits (https://docs.stripe.com/currencies)."""
        assert create_intent(client, amount=9_999_999_999, currency="jpy").amount == 9_999_999_999

    def test_unknown_currency(self, client: stripe.StripeClient) -> None:
        """A currency Stripe does not know is refused, naming the parameter."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create_intent(client, currency="xyz")
        assert caught.value.error.param == "currency"

    def test_uppercase_currency_is_lowercased(self, client: stripe.StripeClient) -> None:
        """Stripe takes "USD" and answers "usd" (also nested, as in Checkout line items)."""
        assert create_intent(client, currency="USD").currency == "usd"
        items = [line(1000, currency="EUR")]
        session = client.v1.checkout.sessions.create(
            params={"mode": "payment", "success_url": "https://shop/ok", "line_items": items}
        )
        assert session.currency == "eur"

    def test_payment_method_types_is_gone_in_endive(self, client: stripe.StripeClient) -> None:
        """`payment_method_types` is not a parameter on 2026-10-28.endive: `parameter_unknown`."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create_intent(client, payment_method_types=["card"])
        assert (caught.value.code, caught.value.error.param) == (
            "parameter_unknown", "payment_method_types",
        )  # fmt: skip

    def test_missing_and_unknown_params(self, client: stripe.StripeClient) -> None:
        """Stripe's wording for a missing and an unknown parameter."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.create(params={"amount": 100})
        assert caught.value.user_message == "Missing required param: currency."
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create_intent(client, shipping={"name": "A", "address": {"line1": "x", "citty": "y"}})
        assert caught.value.code == "parameter_unknown"
        assert caught.value.error.param == "shipping[address][citty]"


class TestAmountDetails:
    LINES = ({"product_name": "Mug", "quantity": 2, "unit_cost": 2000},)

    def test_consistent_details_are_stored(self, client: stripe.StripeClient) -> None:
        """Stripe's own example adds up: 2x2000 - 200 + 400 + 400 = 4600."""
        intent = client.v1.payment_intents.create(
            params={"amount": 4600, "currency": "usd", "expand": ["amount_details.line_items"],
                    "amount_details": {"line_items": list(self.LINES), "discount_amount": 200,
                                       "tax": {"total_tax_amount": 400},
                                       "shipping": {"amount": 400}}}
        )  # fmt: skip
        assert intent.amount_details is not None
        assert intent.amount_details.discount_amount == 200
        assert intent.amount_details.line_items.data[0].product_name == "Mug"

    def test_mismatch_is_refused(self, client: stripe.StripeClient) -> None:
        """Line data that does not add up to `amount` is a 400 by default."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create_intent(client, amount=4500, amount_details={"line_items": list(self.LINES)})
        assert caught.value.code == "amount_details_amount_mismatch"

    def test_mismatch_reported_when_not_enforced(self, client: stripe.StripeClient) -> None:
        """With enforce_arithmetic_validation=false the problem lands in amount_details.error."""
        intent = create_intent(
            client, amount=4500,
            amount_details={"line_items": list(self.LINES), "enforce_arithmetic_validation": False},
        )  # fmt: skip
        assert intent.amount_details is not None
        assert intent.amount_details.error is not None
        assert intent.amount_details.error.code == "amount_details_amount_mismatch"

    def test_top_level_and_line_discount_are_exclusive(self, client: stripe.StripeClient) -> None:
        """Discount given at the top and on a line at once is refused."""
        lines = [{**self.LINES[0], "discount_amount": 100}]
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create_intent(client, amount=3800,
                   amount_details={"line_items": lines, "discount_amount": 100})  # fmt: skip
        assert caught.value.code == "parameters_exclusive"

    def test_discount_must_be_positive(self, client: stripe.StripeClient) -> None:
        """A zero discount is refused: omit it instead."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create_intent(client, amount=4000,
                   amount_details={"line_items": list(self.LINES),
                                   "discount_amount": 0})  # fmt: skip
        assert caught.value.error.param == "amount_details[discount_amount]"

    def test_amount_update_rechecks_stored_details(self, client: stripe.StripeClient) -> None:
        """Changing the amount alone fails when the stored line data no longer adds up."""
        intent = create_intent(client, amount=4000, amount_details={"line_items": list(self.LINES)})
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.payment_intents.update(intent.id, params={"amount": 5000})


class TestUpdateCancelList:
    def test_metadata_unset_semantics(self, client: stripe.StripeClient) -> None:
        """An empty value removes one key; `description=""` sets null."""
        intent = create_intent(client, metadata={"a": "1", "b": "2"}, description="x")
        updated = client.v1.payment_intents.update(
            intent.id, params={"metadata": {"a": ""}, "description": ""}
        )
        assert updated.metadata.to_dict() == {"b": "2"}
        assert updated.description is None

    def test_amount_cannot_change_after_success(self, client: stripe.StripeClient) -> None:
        """A succeeded PaymentIntent keeps its amount, but metadata can still change."""
        intent = confirm_with(client, "pm_card_visa")
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.update(intent.id, params={"amount": 3000})
        assert caught.value.code == "payment_intent_unexpected_state"
        client.v1.payment_intents.update(intent.id, params={"metadata": {"k": "v"}})

    def test_cancel_and_cancel_again(self, client: stripe.StripeClient) -> None:
        """Cancel records the reason; a canceled or succeeded PI cannot be canceled."""
        intent = create_intent(client)
        canceled = client.v1.payment_intents.cancel(
            intent.id, params={"cancellation_reason": "abandoned"}
        )
        assert (canceled.status, canceled.cancellation_reason) == ("canceled", "abandoned")
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.cancel(confirm_with(client, "pm_card_visa").id)
        assert "because it has a status of succeeded" in (caught.value.user_message or "")

    def test_list_newest_first_with_pagination(self, client: stripe.StripeClient) -> None:
        """Lists are newest first; starting_after pages on."""
        ids = [create_intent(client).id for _ in range(3)]
        page = client.v1.payment_intents.list(params={"limit": 2})
        assert [i.id for i in page.data] == ids[:0:-1]
        assert page.has_more
        rest = client.v1.payment_intents.list(params={"starting_after": page.data[-1].id})
        assert [i.id for i in rest.data] == [ids[0]]
        assert not rest.has_more
        assert page.url == "/v1/payment_intents"

    def test_accounts_are_isolated(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """A PaymentIntent of one secret key is a 404 for another."""
        intent = create_intent(client)
        other = make_client(emulator, "sk_test_someoneelse")
        with pytest.raises(stripe.InvalidRequestError) as caught:
            other.v1.payment_intents.retrieve(intent.id)
        assert caught.value.http_status == 404
        assert caught.value.user_message == f"No such payment_intent: '{intent.id}'"
