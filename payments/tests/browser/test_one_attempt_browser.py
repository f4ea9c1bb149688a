"""One live attempt per order in headless Chromium, webhooks off (`stripe_accounts` accounts
have no webhook URL): a page whose order got paid meanwhile shows the order paid instead of
taking a second payment."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from catalog.models import OrderStatus
from catalog.tests.factories import make_order
from payments.models import Payment, PaymentStatus
from payments.tests.helpers import creates, pay, pay_server_side, session_creates
from payments.tests.open_attempts import session_beside
from stripe_emulator.testing import RunningEmulator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_checkout_after_the_card_paid_shows_the_order_paid(
    page: Page, stripe_accounts: RunningEmulator
):
    """Card form open, then paid (another tab; no webhook, no return page): "Pay with Stripe
    Checkout" gets a 409 and the page shows the order paid; no session is made."""
    order = make_order()
    page.goto(f"/order/{order.pk}")
    page.click("#pay-button")
    expect(page.locator("#submit-payment")).to_be_enabled()
    pay_server_side(Payment.objects.get(order=order))
    page.get_by_role("button", name="Pay with Stripe Checkout").click()
    expect(page.locator("#order-status")).to_contain_text("Paid")
    expect(page.locator("#pay-button")).to_have_count(0)
    expect(page.locator("#checkout-button")).to_have_count(0)
    assert session_creates(stripe_accounts) == []
    assert Payment.objects.get(order=order).status == PaymentStatus.SUCCEEDED


def test_the_card_form_after_checkout_paid_shows_the_order_paid(
    page: Page, stripe_accounts: RunningEmulator
):
    """Order page open, the order then paid on Checkout (no webhook): Pay gets a 409 and the
    page shows the order paid instead of a card form; no PaymentIntent is made."""
    order = make_order()
    session = session_beside(order.pk)
    page.goto(f"/order/{order.pk}")
    pay(stripe_accounts, session.stripe_id)
    page.click("#pay-button")
    expect(page.locator("#order-status")).to_contain_text("Paid")
    expect(page.locator("#pay-button")).to_have_count(0)
    assert creates(stripe_accounts) == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
