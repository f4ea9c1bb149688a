"""The hosted Checkout page (``session.url``) as a buyer uses it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import FUTURE_EXPIRY, create_session, normalised

pytestmark = pytest.mark.browser

SUBMIT = '[data-testid="hosted-payment-submit-button"]'


def fill_checkout(page: Page, number: str) -> None:
    page.fill("#email", "jenny@example.com")
    page.fill("#cardNumber", number)
    page.fill("#cardExpiry", FUTURE_EXPIRY)
    page.fill("#cardCvc", "123")
    page.fill("#billingName", "Jenny Rosen")
    page.select_option("select#billingCountry", "US")
    page.fill("#billingPostalCode", "12345")


class TestPaying:
    def test_4242_redirects_to_success_url_and_completes_the_session(self, page, site, client):
        """Paying with 4242 on the hosted page goes to success_url and completes the session."""
        session = create_session(client, site.url)
        page.goto(session.url)
        fill_checkout(page, "4242 4242 4242 4242")
        page.click(SUBMIT)
        page.wait_for_url(f"{site.url}/success?session_id={session.id}")
        done = client.v1.checkout.sessions.retrieve(session.id)
        assert (done.status, done.payment_status) == ("complete", "paid")
        assert done.customer_details.email == "jenny@example.com"

    def test_decline_is_shown_inline_and_a_retry_succeeds(self, page, site, client):
        """A decline is shown on the page and another card then pays the same session."""
        session = create_session(client, site.url)
        page.goto(session.url)
        fill_checkout(page, "4000000000000002")
        page.click(SUBMIT)
        expect(page.locator("#payment-error")).to_have_text("Your card was declined.")
        expect(page.locator(SUBMIT)).to_be_enabled()
        assert client.v1.checkout.sessions.retrieve(session.id).status == "open"
        page.fill("#cardNumber", "4242424242424242")
        page.click(SUBMIT)
        page.wait_for_url(f"{site.url}/success?session_id={session.id}")

    def test_3155_asks_for_3ds_and_complete_finishes_the_payment(self, page, site, client):
        """Card 3155 asks for 3-D Secure; completing it finishes the payment."""
        session = create_session(client, site.url)
        page.goto(session.url)
        fill_checkout(page, "4000002500003155")
        page.click(SUBMIT)
        expect(page.get_by_role("dialog", name="Test authentication")).to_be_visible()
        page.click("#test-source-authorize-3ds")
        page.wait_for_url(f"{site.url}/success?session_id={session.id}")
        assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"

    def test_3ds_fail_keeps_the_session_open_with_a_message(self, page, site, client):
        """Failing 3-D Secure shows a message and leaves the session open."""
        session = create_session(client, site.url)
        page.goto(session.url)
        fill_checkout(page, "4000002500003155")
        page.click(SUBMIT)
        page.click("#test-source-fail-3ds")
        expect(page.locator("#payment-error")).to_contain_text("unable to authenticate")
        assert client.v1.checkout.sessions.retrieve(session.id).status == "open"

    def test_invalid_card_is_refused_without_calling_pay(self, page, site, client):
        """An invalid card number is refused in the page before any pay request."""
        session = create_session(client, site.url)
        page.goto(session.url)
        fill_checkout(page, "4242424242424241")
        pay_calls: list[str] = []
        page.on("request", lambda r: pay_calls.append(r.url) if r.method == "POST" else None)
        page.click(SUBMIT)
        expect(page.locator("#card-error")).to_have_text("Your card number is invalid.")
        expect(page.locator("#cardNumber")).to_have_attribute("aria-invalid", "true")
        assert pay_calls == []

    def test_the_form_cannot_be_submitted_twice(self, page, site, client):
        """A second submit while paying sends no second pay request."""
        session = create_session(client, site.url)
        page.goto(session.url)
        fill_checkout(page, "4242424242424242")
        pay_calls: list[str] = []
        page.on("request", lambda r: pay_calls.append(r.url) if r.url.endswith("/pay") else None)
        disabled_after_first = page.evaluate(
            """() => { const form = document.getElementById('payment-form');
                      form.requestSubmit();
                      const disabled = form.querySelector('button[type=submit]').disabled;
                      form.requestSubmit();
                      return disabled; }"""
        )
        assert disabled_after_first
        page.wait_for_url(f"{site.url}/success?session_id={session.id}")
        assert len(pay_calls) == 1


class TestLeaving:
    def test_back_link_goes_to_cancel_url_and_leaves_the_session_open(self, page, site, client):
        """The back link goes to cancel_url and the session stays open."""
        session = create_session(client, site.url)
        page.goto(session.url)
        page.click("#cancel-link")
        page.wait_for_url(f"{site.url}/cancel")
        assert client.v1.checkout.sessions.retrieve(session.id).status == "open"

    def test_expired_session_shows_no_longer_available_with_410(self, page, site, client):
        """An expired session's page says it is no longer available, with 410."""
        session = create_session(client, site.url)
        client.v1.checkout.sessions.expire(session.id)
        response = page.goto(session.url)
        assert response is not None
        assert response.status == 410
        expect(page.get_by_role("heading")).to_have_text(
            "This checkout session is no longer available"
        )
        expect(page.locator(SUBMIT)).to_have_count(0)

    def test_unknown_session_is_404(self, page, emulator):
        """An unknown session's page answers 404."""
        response = page.goto(f"{emulator.url.rstrip('/')}/c/pay/cs_test_a1nothinghere")
        assert response is not None
        assert response.status == 404


class TestSummary:
    def test_coupon_and_exclusive_tax_lines_and_totals(self, page, site, client, shots):
        """The page lists the coupon and exclusive tax lines and the totals Stripe computes."""
        rate = client.v1.tax_rates.create(
            params={"display_name": "Sales tax", "percentage": 8.25, "inclusive": False}
        )
        coupon = client.v1.coupons.create(
            params={"percent_off": 20, "duration": "once", "name": "SAVE20"}
        )
        lines = [("Ceramic mug", 1500, 2), ("Linen tea towel", 999, 1)]
        session = create_session(
            client,
            site.url,
            line_items=[
                {
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": unit,
                        "product_data": {"name": name},
                    },
                    "quantity": qty,
                    "tax_rates": [rate.id],
                }
                for name, unit, qty in lines
            ],
            discounts=[{"coupon": coupon.id}],
        )
        page.goto(session.url)
        summary = page.locator(".summary")
        expect(summary.locator(".item")).to_have_count(2)
        expect(summary.locator(".item").first).to_contain_text("Ceramic mug")
        expect(summary.locator(".item").first).to_contain_text("Qty 2")
        expect(summary.locator(".item").first).to_contain_text("$30.00")
        rows = summary.locator(".totals .row")
        expect(rows).to_have_text(
            [
                "Subtotal$39.99",
                "SAVE20 (20% off)\u2212$8.00",
                "Sales tax (8.25%)$2.64",
                "Total due$34.63",
            ]
        )
        expect(page.locator("#total-amount")).to_have_text("$34.63")
        page.screenshot(path=str(shots / "hosted-checkout.png"), full_page=True)

    def test_jpy_is_shown_without_decimals(self, page, site, client):
        """A JPY session shows its amounts without decimals."""
        session = create_session(
            client,
            site.url,
            line_items=[
                {
                    "price_data": {
                        "currency": "jpy",
                        "unit_amount": 1500,
                        "product_data": {"name": "Matcha"},
                    },
                    "quantity": 2,
                }
            ],
        )
        page.goto(session.url)
        expect(page.locator("#total-amount")).to_have_text("¥3,000")
        expect(page.locator(".totals")).not_to_contain_text(".00")

    def test_russian_session_is_worded_and_formatted_in_russian(self, page, site, client, shots):
        """A Russian session's page is worded and its amounts formatted in Russian."""
        session = create_session(
            client,
            site.url,
            locale="ru",
            line_items=[
                {
                    "price_data": {
                        "currency": "jpy",
                        "unit_amount": 1500,
                        "product_data": {"name": "Матча"},
                    },
                    "quantity": 2,
                }
            ],
        )
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(session.url)
        expect(page.locator(SUBMIT)).to_have_text("Оплатить")
        assert normalised(page.locator("#total-amount").inner_text()) == "3 000 ¥"
        page.screenshot(path=str(shots / "hosted-checkout-ru-mobile.png"), full_page=True)
