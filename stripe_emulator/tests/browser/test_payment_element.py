"""The Payment Element and stripe.confirmPayment, driven in Chromium from a cross-origin page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .helpers import (
    create_intent,
    fill_payment_element,
    open_merchant_page,
    submit_and_wait,
)

pytestmark = pytest.mark.browser

AUTH_FAILURE = (
    "We are unable to authenticate your payment method. Please choose a different payment "
    "method and try again."
)


class TestConfirmPayment:
    def test_4242_redirects_to_return_url_with_intent_params(self, page, site, client, shots):
        """confirmPayment with 4242 goes to return_url with the intent id, secret and status."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        fill_payment_element(page, "4242 4242 4242 4242")
        page.screenshot(path=str(shots / "payment-element.png"), full_page=True)
        page.click("#submit")
        page.wait_for_url("**/return?*")
        query = parse_qs(urlsplit(page.url).query)
        assert query == {
            "order": ["42"],
            "payment_intent": [intent.id],
            "payment_intent_client_secret": [intent.client_secret],
            "redirect_status": ["succeeded"],
        }
        assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"

    def test_if_required_resolves_the_succeeded_intent_and_stays(self, page, site, client):
        """redirect: 'if_required' resolves the succeeded intent and stays on the page."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret, redirect="if_required")
        fill_payment_element(page, "4242424242424242")
        result = submit_and_wait(page)
        assert result["paymentIntent"]["id"] == intent.id
        assert result["paymentIntent"]["status"] == "succeeded"
        assert urlsplit(page.url).path == "/payment"

    def test_0002_declines_then_4242_succeeds_on_the_same_intent(self, page, site, client):
        """A 0002 decline resolves {error}; 4242 then pays the same PaymentIntent."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret, redirect="if_required")
        fill_payment_element(page, "4000000000000002")
        error = submit_and_wait(page)["error"]
        assert error["type"] == "card_error"
        assert error["code"] == "card_declined"
        assert error["decline_code"] == "generic_decline"
        assert error["message"] == "Your card was declined."
        assert error["payment_intent"]["id"] == intent.id
        assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"

        page.fill("#Field-numberInput", "4242424242424242")
        assert submit_and_wait(page)["paymentIntent"]["status"] == "succeeded"

    def test_9995_is_declined_for_insufficient_funds(self, page, site, client):
        """Card 9995 resolves a card_error with decline code insufficient_funds."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret, redirect="if_required")
        fill_payment_element(page, "4000000000009995")
        error = submit_and_wait(page)["error"]
        assert (error["code"], error["decline_code"]) == ("card_declined", "insufficient_funds")
        assert error["message"] == "Your card has insufficient funds."

    def test_network_failure_resolves_api_connection_error(self, page, site, client):
        """A request that cannot reach the API resolves {error} of type api_connection_error."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret, redirect="if_required")
        page.route("**/confirm", lambda route: route.abort())
        fill_payment_element(page, "4242424242424242")
        error = submit_and_wait(page)["error"]
        assert error["type"] == "api_connection_error"
        assert error["message"]


class TestThreeDSecure:
    def test_3155_opens_the_dialog_and_complete_succeeds(self, page, site, client, shots):
        """Card 3155 opens the 3-D Secure dialog; completing it succeeds the payment."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret, redirect="if_required")
        fill_payment_element(page, "4000002500003155")
        page.evaluate("window.result = null")
        page.click("#submit")
        dialog = page.get_by_role("dialog", name="Test authentication")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("no money")
        page.screenshot(path=str(shots / "3ds-dialog.png"))
        page.click("#test-source-authorize-3ds")
        page.wait_for_function("window.result !== null")
        assert page.evaluate("window.result.paymentIntent.status") == "succeeded"
        expect(dialog).to_have_count(0)
        assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"

    def test_3155_fail_resolves_authentication_failure(self, page, site, client):
        """Failing 3-D Secure resolves payment_intent_authentication_failure."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret, redirect="if_required")
        fill_payment_element(page, "4000002500003155")
        page.evaluate("window.result = null")
        page.click("#submit")
        page.click("#test-source-fail-3ds")
        page.wait_for_function("window.result !== null")
        error = page.evaluate("window.result.error")
        assert error["type"] == "invalid_request_error"
        assert error["code"] == "payment_intent_authentication_failure"
        assert error["message"] == AUTH_FAILURE
        assert error["payment_intent"]["status"] == "requires_payment_method"


class TestClientSideValidation:
    @pytest.mark.parametrize(
        ("number", "expiry", "cvc", "code", "message"),
        [
            (
                "4242424242424241",
                "12 / 34",
                "123",
                "invalid_number",
                "Your card number is invalid.",
            ),
            ("4242 4242", "12 / 34", "123", "incomplete_number", "Your card number is incomplete."),
            (
                "4242424242424242",
                "12 / 3",
                "123",
                "incomplete_expiry",
                "Your card's expiration date is incomplete.",
            ),
            (
                "4242424242424242",
                "12 / 34",
                "12",
                "incomplete_cvc",
                "Your card's security code is incomplete.",
            ),
            (
                "4242424242424242",
                "12 / 20",
                "123",
                "invalid_expiry_year_past",
                "Your card's expiration year is in the past.",
            ),
        ],
    )
    def test_bad_card_is_rejected_before_any_api_request(
        self, page, site, client, number, expiry, cvc, code, message
    ):
        """An invalid card resolves a validation_error without any API request."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret, redirect="if_required")
        fill_payment_element(page, number, expiry, cvc)
        api_calls: list[str] = []
        page.on("request", lambda r: api_calls.append(r.url) if "/v1/" in r.url else None)
        error = submit_and_wait(page)["error"]
        assert error == {"type": "validation_error", "code": code, "message": message}
        assert api_calls == []
        expect(page.locator(".__emu-error", has_text=message)).to_be_visible()

    def test_russian_locale_translates_validation_and_decline_messages(self, page, site, client):
        """locale 'ru' gives Russian validation and decline messages."""
        intent = create_intent(client)
        open_merchant_page(
            page, site.url, "payment", intent.client_secret, redirect="if_required", locale="ru"
        )
        expect(page.get_by_label("Номер карты")).to_be_visible()
        fill_payment_element(page, "4242424242424241")
        assert submit_and_wait(page)["error"]["message"] == "Номер карты недействителен."
        page.fill("#Field-numberInput", "4000000000000002")
        error = submit_and_wait(page)["error"]
        assert error["code"] == "card_declined"
        assert error["message"] == "Ваша карта отклонена."


class TestElementsSurface:
    def test_change_event_reports_payment_shape(self, page, site, client):
        """The Payment Element's change event has Stripe's shape (complete, empty, value.type)."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        fill_payment_element(page, "4242424242424242")
        assert page.evaluate("window.events[window.events.length - 1]") == {
            "elementType": "payment",
            "empty": False,
            "complete": True,
            "collapsed": False,
            "value": {"type": "card"},
        }

    def test_fields_are_labelled_and_masked(self, page, site, client):
        """The fields have labels and mask the number and expiry as typed."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        page.get_by_label("Card number").fill("4242424242424242")
        page.get_by_label("Expiration date").fill("1234")
        expect(page.locator("#Field-numberInput")).to_have_value("4242 4242 4242 4242")
        expect(page.locator("#Field-numberInput")).to_have_attribute(
            "placeholder", "1234 1234 1234 1234"
        )
        expect(page.locator("#Field-expiryInput")).to_have_value("12 / 34")
        expect(page.locator("select#Field-countryInput")).to_have_value("US")
        expect(page.locator(".StripeElement")).to_contain_text("TEST MODE")

    def test_elements_submit_validates_and_reports_the_method(self, page, site, client):
        """elements.submit() validates the fields and reports the selected method."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        assert page.evaluate("elements.submit()")["error"]["code"] == "incomplete_number"
        fill_payment_element(page, "4242424242424242")
        assert page.evaluate("elements.submit()") == {"selectedPaymentMethod": "card"}

    def test_mount_on_a_missing_selector_throws_integration_error(self, page, site, client):
        """Mounting on a selector that matches nothing throws Stripe's IntegrationError."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        thrown = page.evaluate(
            """() => { try { elements.create('card').mount('#nope'); }
                      catch (e) { return [e.name, e.message]; } }"""
        )
        assert thrown[0] == "IntegrationError"
        assert "#nope" in thrown[1]

    def test_a_second_payment_element_gets_suffixed_ids(self, page, site, client):
        """A second Payment Element on the page gets suffixed ids, as Stripe's do."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        page.evaluate(
            """() => { const box = document.createElement('div'); box.id = 'second';
                      document.body.appendChild(box);
                      stripe.elements({clientSecret: q.get('client_secret')})
                        .create('payment').mount('#second'); }"""
        )
        expect(page.locator("#Field-numberInput")).to_have_count(1)
        expect(page.locator("#second #Field-numberInput-2")).to_have_count(1)
        expect(page.locator("label[for='Field-numberInput-2']")).to_have_count(1)
