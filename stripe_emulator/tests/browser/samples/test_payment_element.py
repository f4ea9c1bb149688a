"""Stripe's accept-a-payment/payment-element sample (Flask + HTML), unchanged, pays here.

Its server pins API version 2023-10-16 and creates the PaymentIntent with automatic payment
methods; its page asks Stripe.js for apiVersion 2020-08-27 and mounts the Link Authentication
Element above the Payment Element.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe
from playwright.sync_api import Page, expect

from stripe_emulator.testing import RunningEmulator

from .helpers import deliver_webhooks_to, webhook_answers
from .sample_servers import SampleServer, start_sample

pytestmark = pytest.mark.browser

SAMPLE = "accept-a-payment/payment-element"
EMAIL = "jenny.rosen@example.com"


@pytest.fixture
def shop(
    sample_env: dict[str, str], server_log: Path, emulator: RunningEmulator
) -> Iterator[SampleServer]:
    server = start_sample(SAMPLE, sample_env, server_log)
    deliver_webhooks_to(emulator, server)
    yield server
    server.stop()


def pay(page: Page, shop: SampleServer, number: str) -> None:
    page.goto(shop.url)
    expect(page.locator("#messages")).to_contain_text("Client secret returned.")
    page.fill("#link-authentication-element input[type=email]", EMAIL)
    page.fill("#Field-numberInput", number)
    page.fill("#Field-expiryInput", "12 / 34")
    page.fill("#Field-cvcInput", "123")
    page.fill("#Field-postalCodeInput", "12345")
    page.click("#submit")


def paid_intent(client: stripe.StripeClient, page: Page) -> stripe.PaymentIntent:
    """The PaymentIntent the return page reports, read back from the emulator."""
    intent_id = page.url.split("payment_intent=")[1].split("&")[0]
    return client.v1.payment_intents.retrieve(intent_id)


def test_4242_pays_and_the_return_page_says_succeeded(
    page: Page, shop: SampleServer, client: stripe.StripeClient
) -> None:
    """4242 pays; the sample's return page shows "Payment succeeded"; the Link email is the
    charge's billing email."""
    pay(page, shop, "4242 4242 4242 4242")
    page.wait_for_url(f"{shop.url}/return.html?**")
    expect(page.locator("#messages")).to_contain_text("Payment succeeded: pi_")
    intent = paid_intent(client, page)
    assert (intent.status, intent.amount, intent.currency) == ("succeeded", 1400, "usd")
    assert intent.automatic_payment_methods is not None
    charge = client.v1.charges.retrieve(intent.latest_charge)  # type: ignore[arg-type]
    assert charge.billing_details.email == EMAIL


def test_the_samples_webhook_verifies_and_handles_the_success_event(
    page: Page, shop: SampleServer, emulator: RunningEmulator
) -> None:
    """payment_intent.succeeded, signed by the emulator, passes the sample's own
    construct_event (its stripe-python 14.2.0) and reaches its handler."""
    pay(page, shop, "4242 4242 4242 4242")
    page.wait_for_url(f"{shop.url}/return.html?**")
    expect(page.locator("#messages")).to_contain_text("Payment succeeded: pi_")
    assert webhook_answers(emulator, "payment_intent.succeeded") == [200]
    assert "Payment received!" in shop.output()


def test_each_side_is_answered_in_the_version_it_pins(
    page: Page, shop: SampleServer, emulator: RunningEmulator
) -> None:
    """The server's calls carry its pinned 2023-10-16 and Stripe.js's its apiVersion
    2020-08-27; both are served."""
    pay(page, shop, "4242 4242 4242 4242")
    page.wait_for_url(f"{shop.url}/return.html?**")
    expect(page.locator("#messages")).to_contain_text("Payment succeeded: pi_")
    seen = {(r["key_type"], r["api_version"], r["status"]) for r in emulator.requests()}
    assert seen == {("secret", "2023-10-16", 200), ("publishable", "2020-08-27", 200)}


def test_0002_is_declined_on_the_page(
    page: Page, shop: SampleServer, client: stripe.StripeClient
) -> None:
    """0002 is declined: the sample shows Stripe's message and stays on its page."""
    pay(page, shop, "4000 0000 0000 0002")
    expect(page.locator("#messages")).to_contain_text("Your card was declined.")
    expect(page.locator("#submit")).to_be_enabled()
    assert page.url.rstrip("/") == shop.url


def test_3155_completes_3d_secure_then_succeeds(
    page: Page, shop: SampleServer, client: stripe.StripeClient
) -> None:
    """3155 asks for 3-D Secure; completing it pays and lands on the return page."""
    pay(page, shop, "4000 0025 0000 3155")
    page.click("#test-source-authorize-3ds")
    page.wait_for_url(f"{shop.url}/return.html?**")
    expect(page.locator("#messages")).to_contain_text("Payment succeeded: pi_")
    assert paid_intent(client, page).status == "succeeded"
