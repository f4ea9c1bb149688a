# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""PaymentIntents through stripe-python: shapes, states, validation, card outcomes."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe

from stripe_emulator.testing import RunningEmulator

from .conftest import make_client
from .helpers import line

RETURN_URL = "https://shop.example/return?order=1&x=a%20b"
NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}


def create(client: stripe.StripeClient, **params: object) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(params={"amount": 2000, "currency": "usd", **params})


def confirm_with(client: stripe.StripeClient, method: str) -> stripe.PaymentIntent:
    intent = create(client, automatic_payment_methods=NO_REDIRECTS)
    return client.v1.payment_intents.confirm(intent.id, params={"payment_method": method})


class TestCreate:
    def test_shape(self, client: stripe.StripeClient) -> None:
        """A new PaymentIntent has Stripe's id, secret and initial fields."""
        intent = create(client, metadata={"order_id": "7"})
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
            create(client, amount=amount, currency=currency)
        assert (caught.value.code, caught.value.error.param) == (code, "amount")
        if message:
            assert caught.value.user_message == message

    def test_jpy_allows_ten_digits(self, client: stripe.StripeClient) -> None:
        """JPY card amounts may have 10 digits (https://docs.stripe.com/currencies)."""
        assert create(client, amount=9_999_999_999, currency="jpy").amount == 9_999_999_999

    def test_unknown_currency(self, client: stripe.StripeClient) -> None:
        """A currency Stripe does not know is refused, naming the parameter."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create(client, currency="xyz")
        assert caught.value.error.param == "currency"

    def test_uppercase_currency_is_lowercased(self, client: stripe.StripeClient) -> None:
        """Stripe takes "USD" and answers "usd" (also nested, as in Checkout line items)."""
        assert create(client, currency="USD").currency == "usd"
        items = [line(1000, currency="EUR")]
        session = client.v1.checkout.sessions.create(
            params={"mode": "payment", "success_url": "https://shop/ok", "line_items": items}
        )
        assert session.currency == "eur"

    def test_payment_method_types_is_gone_in_endive(self, client: stripe.StripeClient) -> None:
        """`payment_method_types` is not a parameter on 2026-10-28.endive: `parameter_unknown`."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create(client, payment_method_types=["card"])
        assert (caught.value.code, caught.value.error.param) == (
            "parameter_unknown", "payment_method_types",
        )  # fmt: skip

    def test_missing_and_unknown_params(self, client: stripe.StripeClient) -> None:
        """Stripe's wording for a missing and an unknown parameter."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.create(params={"amount": 100})
        assert caught.value.user_message == "Missing required param: currency."
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create(client, shipping={"name": "A", "address": {"line1": "x", "citty": "y"}})
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
            create(client, amount=4500, amount_details={"line_items": list(self.LINES)})
        assert caught.value.code == "amount_details_amount_mismatch"

    def test_mismatch_reported_when_not_enforced(self, client: stripe.StripeClient) -> None:
        """With enforce_arithmetic_validation=false the problem lands in amount_details.error."""
        intent = create(
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
            create(client, amount=3800,
                   amount_details={"line_items": lines, "discount_amount": 100})  # fmt: skip
        assert caught.value.code == "parameters_exclusive"

    def test_discount_must_be_positive(self, client: stripe.StripeClient) -> None:
        """A zero discount is refused: omit it instead."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            create(client, amount=4000,
                   amount_details={"line_items": list(self.LINES),
                                   "discount_amount": 0})  # fmt: skip
        assert caught.value.error.param == "amount_details[discount_amount]"

    def test_amount_update_rechecks_stored_details(self, client: stripe.StripeClient) -> None:
        """Changing the amount alone fails when the stored line data no longer adds up."""
        intent = create(client, amount=4000, amount_details={"line_items": list(self.LINES)})
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.payment_intents.update(intent.id, params={"amount": 5000})


class TestUpdateCancelList:
    def test_metadata_unset_semantics(self, client: stripe.StripeClient) -> None:
        """An empty value removes one key; `description=""` sets null."""
        intent = create(client, metadata={"a": "1", "b": "2"}, description="x")
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
        intent = create(client)
        canceled = client.v1.payment_intents.cancel(
            intent.id, params={"cancellation_reason": "abandoned"}
        )
        assert (canceled.status, canceled.cancellation_reason) == ("canceled", "abandoned")
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.cancel(confirm_with(client, "pm_card_visa").id)
        assert "because it has a status of succeeded" in (caught.value.user_message or "")

    def test_list_newest_first_with_pagination(self, client: stripe.StripeClient) -> None:
        """Lists are newest first; starting_after pages on."""
        ids = [create(client).id for _ in range(3)]
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
        intent = create(client)
        other = make_client(emulator, "sk_test_someoneelse")
        with pytest.raises(stripe.InvalidRequestError) as caught:
            other.v1.payment_intents.retrieve(intent.id)
        assert caught.value.http_status == 404
        assert caught.value.user_message == f"No such payment_intent: '{intent.id}'"


class TestConfirm:
    @pytest.mark.parametrize(
        ("method", "code", "decline_code"),
        [
            ("pm_card_visa_chargeDeclined", "card_declined", "generic_decline"),
            ("pm_card_chargeDeclined", "card_declined", "generic_decline"),
            ("pm_card_visa_chargeDeclinedInsufficientFunds", "card_declined",
             "insufficient_funds"),
            ("pm_card_chargeDeclinedExpiredCard", "expired_card", None),
            ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", None),
        ],
    )  # fmt: skip
    def test_declines(
        self, client: stripe.StripeClient, method: str, code: str, decline_code: str | None
    ) -> None:
        """Declining cards answer 402 card_error with the PI back in requires_payment_method."""
        intent = create(client, automatic_payment_methods=NO_REDIRECTS)
        with pytest.raises(stripe.CardError) as caught:
            client.v1.payment_intents.confirm(intent.id, params={"payment_method": method})
        error = caught.value
        assert (error.http_status, error.code, error.error.decline_code) == (
            402,
            code,
            decline_code,
        )
        assert error.error.payment_intent is not None
        assert error.error.payment_intent.status == "requires_payment_method"
        after = client.v1.payment_intents.retrieve(intent.id)
        assert after.last_payment_error is not None
        assert after.last_payment_error.code == code
        charge = client.v1.charges.retrieve(after.latest_charge)
        assert charge.status == "failed"

    def test_success(self, client: stripe.StripeClient) -> None:
        """pm_card_visa succeeds with a captured charge."""
        intent = confirm_with(client, "pm_card_visa")
        assert (intent.status, intent.amount_received) == ("succeeded", 2000)
        charge = client.v1.charges.retrieve(intent.latest_charge)
        assert (charge.paid, charge.captured, charge.payment_method_details.card.last4) == (
            True, True, "4242",
        )  # fmt: skip

    @pytest.mark.parametrize(
        "method", ["pm_card_authenticationRequired", "pm_card_threeDSecure2Required"]
    )
    def test_three_d_secure(self, client: stripe.StripeClient, method: str) -> None:
        """3-D Secure cards stop at requires_action with a redirect to the emulator's page,
        whose URL carries the client secret and the return URL."""
        intent = create(client)
        confirmed = client.v1.payment_intents.confirm(
            intent.id, params={"payment_method": method, "return_url": RETURN_URL}
        )
        assert confirmed.status == "requires_action"
        assert confirmed.next_action is not None
        assert confirmed.next_action.type == "redirect_to_url"
        url = confirmed.next_action.redirect_to_url.url
        assert url is not None
        parts = urlsplit(url)
        assert parts.path == f"/3ds/{intent.id}"
        assert parse_qs(parts.query) == {
            "client_secret": [intent.client_secret], "return_url": [RETURN_URL],
        }  # fmt: skip
        assert confirmed.next_action.redirect_to_url.return_url == RETURN_URL

    def test_three_d_secure_off_session_is_declined(self, client: stripe.StripeClient) -> None:
        """Off-session, a card that needs authentication is declined."""
        with pytest.raises(stripe.CardError) as caught:
            create(client, confirm=True, off_session=True,
                   payment_method="pm_card_authenticationRequired")  # fmt: skip
        assert caught.value.code == "authentication_required"

    def test_return_url_required_with_redirect_methods(self, client: stripe.StripeClient) -> None:
        """With automatic payment methods allowing redirects, confirm needs a return_url."""
        intent = create(client)
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
        assert caught.value.error.param == "return_url"

    def test_confirm_twice(self, client: stripe.StripeClient) -> None:
        """A succeeded PaymentIntent cannot be confirmed again."""
        intent = confirm_with(client, "pm_card_visa")
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.confirm(intent.id)
        assert caught.value.code == "payment_intent_unexpected_state"
        assert "already succeeded" in (caught.value.user_message or "")

    def test_expand_latest_charge_and_payment_method(self, client: stripe.StripeClient) -> None:
        """expand[] swaps ids for objects."""
        intent = confirm_with(client, "pm_card_visa")
        expanded = client.v1.payment_intents.retrieve(
            intent.id, params={"expand": ["latest_charge", "payment_method"]}
        )
        assert isinstance(expanded.latest_charge, stripe.Charge)
        assert isinstance(expanded.payment_method, stripe.PaymentMethod)
