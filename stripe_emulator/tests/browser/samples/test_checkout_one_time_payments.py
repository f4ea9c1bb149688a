"""Stripe's checkout-one-time-payments sample (Flask + HTML), unchanged, sells here.

Its server pins API version 2020-08-27, reads the Price named by ``PRICE`` for its page, and
creates a Checkout Session with ``line_items[][price]``; the buyer pays on the emulator's
hosted Checkout page and comes back to the sample's success page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe
from playwright.sync_api import Page, expect

from stripe_emulator.testing import RunningEmulator

from .helpers import deliver_webhooks_to, webhook_answers
from .sample_servers import SampleServer, start_sample

pytestmark = pytest.mark.browser

SAMPLE = "checkout-one-time-payments"
PAY = '[data-testid="hosted-payment-submit-button"]'


@pytest.fixture
def price(client: stripe.StripeClient) -> stripe.Price:
    """The Price the sample's README has one make with the Stripe CLI."""
    return client.v1.prices.create(
        params={"unit_amount": 500, "currency": "usd", "product_data": {"name": "demo"}}
    )


@pytest.fixture
def shop(
    sample_env: dict[str, str], server_log: Path, price: stripe.Price, emulator: RunningEmulator
) -> Iterator[SampleServer]:
    server = start_sample(SAMPLE, {**sample_env, "PRICE": price.id}, server_log)
    deliver_webhooks_to(emulator, server)
    yield server
    server.stop()


def buy(page: Page, shop: SampleServer, number: str, copies: int = 1) -> None:
    page.goto(shop.url)
    for _ in range(copies - 1):
        page.click("#add")
    page.click("#submit")
    page.wait_for_url("**/c/pay/cs_test_**")
    page.fill("#email", "jenny@example.com")
    page.fill("#cardNumber", number)
    page.fill("#cardExpiry", "12 / 34")
    page.fill("#cardCvc", "123")
    page.fill("#billingName", "Jenny Rosen")
    page.select_option("select#billingCountry", "US")
    page.fill("#billingPostalCode", "12345")
    page.click(PAY)


def session_shown(page: Page, shop: SampleServer) -> dict[str, object]:
    """The Checkout Session JSON the sample's success page shows."""
    page.wait_for_url(f"{shop.url}/success.html?session_id=cs_test_**")
    expect(page.locator("pre")).to_contain_text('"payment_status": "paid"')
    shown: dict[str, object] = json.loads(page.locator("pre").inner_text())
    return shown


def test_4242_pays_for_two_copies_of_the_price(
    page: Page, shop: SampleServer, client: stripe.StripeClient, price: stripe.Price
) -> None:
    """Two copies of the 5.00 Price are paid with 4242; the success page shows the session."""
    buy(page, shop, "4242 4242 4242 4242", copies=2)
    shown = session_shown(page, shop)
    assert (shown["status"], shown["amount_total"], shown["currency"]) == (
        "complete", 1000, "usd"
    )  # fmt: skip
    items = client.v1.checkout.sessions.line_items.list(str(shown["id"]))
    assert [(i.price.id, i.quantity) for i in items.data] == [(price.id, 2)]  # type: ignore[union-attr]


def test_the_samples_webhook_verifies_and_handles_the_completed_session(
    page: Page, shop: SampleServer, emulator: RunningEmulator
) -> None:
    """checkout.session.completed, signed by the emulator, passes the sample's own
    construct_event and reaches its handler."""
    buy(page, shop, "4242 4242 4242 4242")
    session_shown(page, shop)
    assert webhook_answers(emulator, "checkout.session.completed") == [200]
    assert "Payment succeeded!" in shop.output()


def test_0002_is_declined_on_the_hosted_page(page: Page, shop: SampleServer) -> None:
    """0002 is declined on the Checkout page, which stays open for another card."""
    buy(page, shop, "4000 0000 0000 0002")
    expect(page.locator("#payment-error")).to_have_text("Your card was declined.")
    assert "/c/pay/cs_test_" in page.url


def test_3220_completes_3d_secure_then_succeeds(page: Page, shop: SampleServer) -> None:
    """3220 asks for 3-D Secure; completing it pays and returns to the sample."""
    buy(page, shop, "4000 0000 0000 3220")
    page.click("#test-source-authorize-3ds")
    assert session_shown(page, shop)["payment_status"] == "paid"
