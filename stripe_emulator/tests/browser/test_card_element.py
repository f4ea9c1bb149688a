"""The Card Element with stripe.confirmCardPayment, and its change events."""

from __future__ import annotations

import pytest

from .helpers import create_intent, fill_card_element, open_merchant_page, submit_and_wait

pytestmark = pytest.mark.browser


class TestCardElement:
    def test_confirm_card_payment_succeeds_with_4242(self, page, site, client):
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        fill_card_element(page, "4242424242424242")
        result = submit_and_wait(page)
        assert result["paymentIntent"]["status"] == "succeeded"
        assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"

    def test_confirm_card_payment_resolves_a_decline(self, page, site, client):
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        fill_card_element(page, "4000000000000002")
        error = submit_and_wait(page)["error"]
        assert (error["type"], error["decline_code"]) == ("card_error", "generic_decline")

    def test_change_event_carries_brand_and_validation_error(self, page, site, client):
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        page.fill("input[name=cardnumber]", "4242424242424241")
        event = page.evaluate("window.events[window.events.length - 1]")
        assert event["elementType"] == "card"
        assert event["brand"] == "visa"
        assert event["complete"] is False
        assert event["error"] == {
            "type": "validation_error",
            "code": "invalid_number",
            "message": "Your card number is invalid.",
        }

    def test_card_inputs_use_stripe_names(self, page, site, client):
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        for name in ("cardnumber", "exp-date", "cvc", "postal"):
            assert page.locator(f".StripeElement input[name={name}]").count() == 1
        assert page.get_by_label("Card number").count() == 1
