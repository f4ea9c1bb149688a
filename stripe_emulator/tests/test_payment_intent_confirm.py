# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Confirming PaymentIntents through stripe-python: card outcomes, 3-D Secure, return URLs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import stripe

from .helpers import NO_REDIRECTS, RETURN_URL, confirm_with, create_intent


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
        intent = create_intent(client, automatic_payment_methods=NO_REDIRECTS)
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
        intent = create_intent(client)
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
            create_intent(client, confirm=True, off_session=True,
                   payment_method="pm_card_authenticationRequired")  # fmt: skip
        assert caught.value.code == "authentication_required"

    def test_return_url_required_with_redirect_methods(self, client: stripe.StripeClient) -> None:
        """With automatic payment methods allowing redirects, confirm needs a return_url."""
        intent = create_intent(client)
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
