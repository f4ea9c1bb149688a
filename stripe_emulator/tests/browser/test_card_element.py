"""The Card Element with stripe.confirmCardPayment, its change events, unmount and remount."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import create_intent, fill_card_element, open_merchant_page, submit_and_wait

pytestmark = pytest.mark.browser


class TestCardElement:
    def test_confirm_card_payment_succeeds_with_4242(self, page, site, client):
        """confirmCardPayment with the Card Element and 4242 resolves a succeeded intent."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        fill_card_element(page, "4242424242424242")
        result = submit_and_wait(page)
        assert result["paymentIntent"]["status"] == "succeeded"
        assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"

    def test_confirm_card_payment_resolves_a_decline(self, page, site, client):
        """confirmCardPayment resolves a declined card as {error} with Stripe's card_error."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        fill_card_element(page, "4000000000000002")
        error = submit_and_wait(page)["error"]
        assert (error["type"], error["decline_code"]) == ("card_error", "generic_decline")

    def test_change_event_carries_brand_and_validation_error(self, page, site, client):
        """The Card Element's change event carries the brand and the validation error."""
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
        """The Card Element's inputs carry Stripe's names (cardnumber, exp-date, cvc)."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        for name in ("cardnumber", "exp-date", "cvc", "postal"):
            assert page.locator(f".StripeElement input[name={name}]").count() == 1
        assert page.get_by_label("Card number").count() == 1

    def test_confirm_card_payment_with_9995_is_declined_for_insufficient_funds(
        self, page, site, client
    ):
        """Card 4000 0000 0000 9995 is declined with insufficient_funds."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        fill_card_element(page, "4000000000009995")
        error = submit_and_wait(page)["error"]
        assert (error["type"], error["code"], error["decline_code"]) == (
            "card_error", "card_declined", "insufficient_funds",
        )  # fmt: skip
        assert error["message"] == "Your card has insufficient funds."
        assert error["payment_intent"]["status"] == "requires_payment_method"
        assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"

    def test_confirm_card_payment_with_3155_opens_the_dialog_and_complete_succeeds(
        self, page, site, client
    ):
        """Card 3155 opens the 3-D Secure dialog; completing it succeeds the payment."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        fill_card_element(page, "4000002500003155")
        page.evaluate("window.result = null")
        page.click("#submit")
        dialog = page.get_by_role("dialog", name="Test authentication")
        expect(dialog).to_be_visible()
        assert page.evaluate("window.result") is None  # the promise waits for the buyer
        page.click("#test-source-authorize-3ds")
        page.wait_for_function("window.result !== null")
        assert page.evaluate("window.result.paymentIntent.status") == "succeeded"
        expect(dialog).to_have_count(0)
        assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"


class TestUnmount:
    def test_unmount_removes_the_inputs_and_a_remount_pays(self, page, site, client):
        """Unmount removes the inputs; the same element mounted again can pay."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret)
        page.fill("input[name=cardnumber]", "4242")
        page.evaluate("element.unmount()")
        expect(page.locator("#element input")).to_have_count(0)
        expect(page.locator("#element.StripeElement")).to_have_count(0)
        page.evaluate("element.mount('#element')")
        for name in ("cardnumber", "exp-date", "cvc", "postal"):
            expect(page.locator(f"#element input[name={name}]")).to_have_count(1)
        fill_card_element(page, "4242424242424242")
        assert submit_and_wait(page)["paymentIntent"]["status"] == "succeeded"
        assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"
