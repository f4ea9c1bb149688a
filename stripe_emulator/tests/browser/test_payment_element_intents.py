"""The Payment Element's intents: a deferred intent (submit first, confirm with a later client
secret), retrievePaymentIntent, handleNextAction and another account's publishable key, in
Chromium from a cross-origin page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import (
    OTHER_PUBLISHABLE_KEY,
    create_intent,
    open_merchant_page,
)

pytestmark = pytest.mark.browser


class TestDeferredIntent:
    MOUNT = """() => { const box = document.createElement('div'); box.id = 'deferred';
                      document.body.appendChild(box);
                      window.deferred = stripe.elements({mode: 'payment', amount: 1999,
                                                         currency: 'usd'});
                      window.deferred.create('payment').mount('#deferred'); }"""
    CONFIRM = """(clientSecret) => stripe.confirmPayment({elements: deferred, clientSecret,
                  confirmParams: {return_url: location.href}, redirect: 'if_required'})"""

    def test_submit_then_confirm_with_the_later_client_secret(self, page, site, client):
        """Deferred intent: submit, then confirm with a client secret made afterwards."""
        open_merchant_page(page, site.url, "payment", create_intent(client).client_secret)
        page.evaluate(self.MOUNT)
        page.fill("#Field-numberInput-2", "4242424242424242")
        page.fill("#Field-expiryInput-2", "12 / 34")
        page.fill("#Field-cvcInput-2", "123")
        page.fill("#Field-postalCodeInput-2", "12345")
        assert page.evaluate("deferred.submit()") == {"selectedPaymentMethod": "card"}
        intent = create_intent(client)
        result = page.evaluate(self.CONFIRM, intent.client_secret)
        assert result["paymentIntent"]["status"] == "succeeded"

    def test_confirm_before_submit_is_an_integration_error(self, page, site, client):
        """In deferred mode, confirming before elements.submit() is an IntegrationError."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        page.evaluate(self.MOUNT)
        message = page.evaluate(
            f"({self.CONFIRM})({intent.client_secret!r}).catch((e) => e.message)"
        )
        assert message == "elements.submit() must be called before stripe.confirmPayment()."


class TestRetrieveAndAccounts:
    def test_retrieve_payment_intent_resolves_the_client_view(self, page, site, client):
        """retrievePaymentIntent resolves the publishable-key view of the intent."""
        intent = create_intent(client, amount=2500)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        result = page.evaluate("stripe.retrievePaymentIntent(q.get('client_secret'))")
        pi = result["paymentIntent"]
        assert (pi["id"], pi["amount"], pi["status"]) == (
            intent.id,
            2500,
            "requires_payment_method",
        )
        assert "metadata" not in pi

    def test_handle_next_action_runs_3ds_for_a_server_confirmed_intent(self, page, site, client):
        """handleNextAction runs 3-D Secure for an intent confirmed on the server."""
        intent = client.v1.payment_intents.create(
            params={
                "amount": 1999,
                "currency": "usd",
                "confirm": True,
                "payment_method": "pm_card_authenticationRequiredOnSetup",
                "return_url": f"{site.url}/return",
            }
        )
        open_merchant_page(page, site.url, "payment", intent.client_secret, wait_ready=False)
        # Not awaited here: the promise settles only after the click below.
        page.evaluate(
            "() => { stripe.handleNextAction({clientSecret: q.get('client_secret')})"
            ".then((r) => { window.result = r; }); }"
        )
        page.click("#test-source-authorize-3ds")
        page.wait_for_function("window.result !== null")
        assert page.evaluate("window.result.paymentIntent.status") == "succeeded"

    def test_publishable_key_of_another_account_cannot_see_the_intent(
        self, page, site, client, other_client
    ):
        """A publishable key of another account cannot retrieve the intent."""
        other_client.v1.payment_intents.create(params={"amount": 100, "currency": "usd"})
        intent = create_intent(client)
        open_merchant_page(
            page,
            site.url,
            "payment",
            intent.client_secret,
            pk=OTHER_PUBLISHABLE_KEY,
            wait_ready=False,
        )
        page.wait_for_function("window.loadError !== undefined")
        result = page.evaluate("stripe.retrievePaymentIntent(q.get('client_secret'))")
        assert result["error"]["type"] == "invalid_request_error"
        assert result["error"]["code"] == "resource_missing"
        assert "paymentIntent" not in result
        expect(page.locator(".__emu-loaderror")).to_contain_text("could not be loaded")
