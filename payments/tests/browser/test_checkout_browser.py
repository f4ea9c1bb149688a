"""Stripe Checkout in headless Chromium: the shop's buttons, the emulator's hosted page, the
success and cancel returns, and webhooks delivered by the emulator to the live server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Order, OrderStatus
from catalog.services import get_order_with_lines
from catalog.tests.factories import make_item, make_order, make_percent_discount, make_tax
from catalog.totals import compute_order_totals
from payments.models import Payment, PaymentKind, PaymentStatus
from stripe_emulator.testing import RunningEmulator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_checkout(page: Page, emulator: RunningEmulator, button: str) -> None:
    """Click the page's Buy/Pay button, then "Pay with Stripe Checkout", and land on Checkout."""
    page.click(button)
    # As a buyer would: the card form is up (its request gave the browser its session).
    expect(page.locator("#submit-payment")).to_be_enabled()
    checkout = page.get_by_role("button", name="Pay with Stripe Checkout")
    expect(checkout).to_be_visible()
    checkout.click()
    page.wait_for_url(re.compile(re.escape(f"{emulator.url}/c/pay/cs_test_")))


def pay_on_checkout(page: Page, card: str = "4242 4242 4242 4242") -> None:
    page.fill("#email", "ada@example.com")
    page.fill("#cardNumber", card)
    page.fill("#cardExpiry", "12 / 34")
    page.fill("#cardCvc", "123")
    page.fill("#billingName", "Ada Buyer")
    page.fill("#billingPostalCode", "10001")
    page.click('button[data-testid="hosted-payment-submit-button"]')


def text(page: Page, selector: str) -> str:
    return " ".join(page.locator(selector).inner_text().split())


def test_buy_on_checkout_then_paid_by_webhook(page: Page, stripe_webhooks: RunningEmulator):
    """Item page Buy → Pay with Stripe Checkout → pay 4242 on the hosted page → the success
    page shows the payment went through, and the webhook marks the order paid."""
    item = make_item(name="Tea cup", price="15.00")
    page.goto(f"/item/{item.pk}")
    open_checkout(page, stripe_webhooks, "#buy-button")
    expect(page.locator("#total-amount")).to_contain_text("15.00")
    pay_on_checkout(page)
    page.wait_for_url(re.compile(r"/payments/checkout/success\?session_id=cs_test_"))
    expect(page.locator("#payment-result")).to_have_attribute("data-status", "succeeded")
    expect(page.locator("#payment-result-title")).to_contain_text("your payment went through")
    stripe_webhooks.flush_webhooks()
    payment = Payment.objects.get(kind=PaymentKind.CHECKOUT_SESSION)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.PAID
    assert stripe_webhooks.webhook_deliveries(type="checkout.session.completed")
    page.goto(f"/order/{payment.order_id}")
    expect(page.locator("#order-status")).to_contain_text("Paid")


def test_a_declined_card_stays_on_checkout_and_can_retry(
    page: Page, stripe_webhooks: RunningEmulator
):
    """A declined card shows Stripe's message on Checkout; the same session then takes 4242."""
    item = make_item(price="15.00")
    page.goto(f"/item/{item.pk}")
    open_checkout(page, stripe_webhooks, "#buy-button")
    pay_on_checkout(page, card="4000 0000 0000 0002")
    expect(page.locator("#payment-error")).to_contain_text("Your card was declined.")
    page.fill("#cardNumber", "4242 4242 4242 4242")
    page.click('button[data-testid="hosted-payment-submit-button"]')
    expect(page.locator("#payment-result")).to_have_attribute("data-status", "succeeded")


def test_cancel_returns_to_the_shop(page: Page, stripe_webhooks: RunningEmulator):
    """Checkout's back link returns to the item page, which says nothing was charged; the
    order is still open and Checkout can be opened again: a new session, since the card form
    opened on the way expired the first one (one live attempt per order)."""
    item = make_item(name="Tea cup", price="15.00")
    page.goto(f"/item/{item.pk}")
    open_checkout(page, stripe_webhooks, "#buy-button")
    first_url = page.url
    page.click("#cancel-link")
    page.wait_for_url(re.compile(rf"/item/{item.pk}$"))
    expect(page.locator(".messages")).to_contain_text("nothing was charged")
    payment = Payment.objects.get(kind=PaymentKind.CHECKOUT_SESSION)
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.OPEN
    open_checkout(page, stripe_webhooks, "#buy-button")
    assert page.url != first_url
    first = Payment.objects.get(stripe_id=first_url.rsplit("/", 1)[-1])
    assert first.status == PaymentStatus.CANCELED
    assert Payment.objects.filter(order_id=payment.order_id, status="requires_payment").count() == 1


@pytest.mark.parametrize("currency", ["usd", "eur"])
def test_order_total_matches_on_the_shop_and_on_checkout(
    page: Page, stripe_webhooks: RunningEmulator, currency: str
):
    """An order with a 15% coupon and 8.25% tax shows the same total on the order page and
    on Stripe Checkout, in both currencies; paying it pays the order."""
    cup = make_item(name="Tea cup", price="15.00", currency=currency)
    pot = make_item(name="Teapot", price="9.99", currency=currency)
    order = make_order(
        lines=[(cup, 2), (pot, 1)],
        discount=make_percent_discount(percent="15"),
        tax=make_tax(percentage="8.25"),
    )
    shop_total = compute_order_totals(get_order_with_lines(order.pk)).total
    page.goto(f"/order/{order.pk}")
    on_shop = text(page, "#order-total")
    open_checkout(page, stripe_webhooks, "#pay-button")
    amount = page.locator("#total-amount [data-amount]")
    assert amount.get_attribute("data-amount") == str(shop_total)
    assert amount.get_attribute("data-currency") == currency
    assert text(page, "#total-amount") == on_shop
    pay_on_checkout(page)
    expect(page.locator("#payment-result")).to_have_attribute("data-status", "succeeded")
    stripe_webhooks.flush_webhooks()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
