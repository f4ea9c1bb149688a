"""The Link Authentication Element of the Stripe.js stand-in, loaded from a release path."""

from __future__ import annotations

from typing import Any

import pytest
import stripe
from playwright.sync_api import Page, expect

from stripe_emulator.testing import RunningEmulator

from .helpers import PUBLISHABLE_KEY, Site, create_intent, fill_payment_element

pytestmark = pytest.mark.browser

MOUNT = """([pk, clientSecret, email]) => {
  window.linkEvents = [];
  window.stripe = Stripe(pk);
  window.elements = stripe.elements({clientSecret});
  const options = email ? {defaultValues: {email}} : {};
  const link = elements.create('linkAuthentication', options);
  link.on('change', (event) => window.linkEvents.push(event));
  link.mount('#link');
  const payment = elements.create('payment');
  payment.on('ready', () => { document.body.dataset.ready = 'yes'; });
  payment.mount('#payment');
}"""
CONFIRM = """() => stripe.confirmPayment({
  elements, redirect: 'if_required', confirmParams: {return_url: location.href},
})"""
EMAIL_INPUT = "#link input[type=email]"


def open_page(
    page: Page, site: Site, emulator: RunningEmulator, secret: str, email: str = ""
) -> None:
    """A merchant page that loads /endive/stripe.js and mounts both Elements."""
    page.goto(f"{site.url}/checkout-page")
    page.set_content('<div id="link"></div><div id="payment"></div>')
    page.add_script_tag(url=f"{emulator.url}/endive/stripe.js")
    page.evaluate(MOUNT, [PUBLISHABLE_KEY, secret, email])
    page.wait_for_selector("body[data-ready=yes]")


def test_typed_email_becomes_the_billing_email(
    page: Page, site: Site, emulator: RunningEmulator, client: stripe.StripeClient
) -> None:
    """The typed email is sent as billing_details[email]: the Charge carries it; the change
    event reports it; receipt_email stays the integration's to set."""
    intent = create_intent(client)
    open_page(page, site, emulator, intent.client_secret)
    page.fill(EMAIL_INPUT, "jenny.rosen@example.com")
    fill_payment_element(page, "4242424242424242")
    result: dict[str, Any] = page.evaluate(CONFIRM)
    assert result["paymentIntent"]["status"] == "succeeded"
    last = page.evaluate("window.linkEvents[window.linkEvents.length - 1]")
    assert (last["value"], last["complete"]) == ({"email": "jenny.rosen@example.com"}, True)
    paid = client.v1.payment_intents.retrieve(intent.id)
    assert paid.receipt_email is None
    charge = client.v1.charges.retrieve(paid.latest_charge)  # type: ignore[arg-type]
    assert charge.billing_details.email == "jenny.rosen@example.com"


def test_default_email_is_shown_and_used(
    page: Page, site: Site, emulator: RunningEmulator, client: stripe.StripeClient
) -> None:
    """defaultValues.email fills the field and pays with it unless changed."""
    intent = create_intent(client)
    open_page(page, site, emulator, intent.client_secret, email="known@example.com")
    expect(page.locator(EMAIL_INPUT)).to_have_value("known@example.com")
    fill_payment_element(page, "4242424242424242")
    page.evaluate(CONFIRM)
    charge_id = client.v1.payment_intents.retrieve(intent.id).latest_charge
    assert client.v1.charges.retrieve(charge_id).billing_details.email == "known@example.com"  # type: ignore[arg-type]


def test_malformed_email_stops_the_payment(
    page: Page, site: Site, emulator: RunningEmulator, client: stripe.StripeClient
) -> None:
    """A malformed email resolves a validation_error and confirms nothing."""
    intent = create_intent(client)
    open_page(page, site, emulator, intent.client_secret)
    page.fill(EMAIL_INPUT, "jenny@")
    fill_payment_element(page, "4242424242424242")
    result: dict[str, Any] = page.evaluate(CONFIRM)
    assert result["error"] == {
        "type": "validation_error",
        "code": "email_invalid",
        "message": "Your email address is invalid.",
    }
    expect(page.locator("#link")).to_contain_text("Your email address is invalid.")
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"


def test_release_path_sends_its_api_version(
    page: Page, site: Site, emulator: RunningEmulator, client: stripe.StripeClient
) -> None:
    """Stripe.js served as /endive/stripe.js, given no apiVersion, sends endive's version."""
    intent = create_intent(client)
    open_page(page, site, emulator, intent.client_secret)
    browser_calls = [r for r in emulator.requests() if r["key_type"] == "publishable"]
    assert browser_calls
    assert {r["api_version"] for r in browser_calls} == {"2026-09-30.endive"}
