"""A buyer paying in headless Chromium with the emulator's Stripe.js and webhooks delivered to
the live server: success, declines then a retry on the same PaymentIntent, 3-D Secure, Russian."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from catalog.models import OrderStatus
from catalog.tests.factories import make_item, make_order
from payments.models import Payment, PaymentStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
INSUFFICIENT = "4000 0000 0000 9995"
THREE_D_SECURE = "4000 0025 0000 3155"


def open_card_form(page: Page, button: str) -> None:
    page.click(button)
    expect(page.locator("#Field-numberInput")).to_be_visible()
    expect(page.locator("#submit-payment")).to_be_enabled()


def pay_with(page: Page, card: str) -> None:
    page.fill("#Field-numberInput", card)
    page.fill("#Field-expiryInput", "12 / 34")
    page.fill("#Field-cvcInput", "123")
    postal = page.locator("#Field-postalCodeInput")
    if postal.count():
        postal.fill("10001")
    page.click("#submit-payment")


def expect_paid_result(page: Page, stripe_webhooks) -> Payment:
    expect(page).to_have_url(re.compile(r"/payments/result/\?payment_intent=pi_"))
    expect(page.locator("#payment-result")).to_have_attribute("data-status", "succeeded")
    stripe_webhooks.flush_webhooks()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.order.status == OrderStatus.PAID
    return payment


def test_buy_an_item_with_a_card_and_see_it_paid_in_the_admin(page, stripe_webhooks, live_server):
    """A buyer pays an item by card in Chromium and the payment is recorded paid."""
    item = make_item(name="Teapot", price="24.00", currency="eur")
    page.goto(f"/item/{item.pk}")
    open_card_form(page, "#buy-button")
    # One label with a space before the amount (inline-flex dropped it: "Pay now€24.00").
    expect(page.locator("#submit-payment")).to_have_text("Pay €24.00")
    pay_with(page, VISA)
    payment = expect_paid_result(page, stripe_webhooks)
    assert (payment.account, payment.amount) == ("eur", 2400)
    assert payment.order.lines.get().item == item

    User.objects.create_superuser("admin", "admin@example.com", "pass-word-1")
    page.goto("/admin/login/?next=/admin/payments/payment/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pass-word-1")
    page.click("input[type=submit]")
    row = page.locator("#result_list tbody tr").first
    expect(row.locator(f'[title="{payment.stripe_id}"]')).to_have_count(1)  # shortened in lists
    expect(row).to_contain_text("Succeeded")
    page.goto("/admin/payments/webhookevent/")
    expect(page.locator("#result_list")).to_contain_text("payment_intent.succeeded")


def test_declines_then_success_on_the_same_payment_intent(page, stripe_webhooks):
    """A declined card then a good one pay on the same PaymentIntent."""
    order = make_order()
    page.goto(f"/order/{order.pk}")
    open_card_form(page, "#pay-button")
    message = page.locator("#payment-message")

    pay_with(page, DECLINED)
    expect(message).to_have_text("Your card was declined.")
    expect(page.locator("#submit-payment")).to_be_enabled()
    pay_with(page, INSUFFICIENT)
    expect(message).to_have_text("Your card has insufficient funds.")
    pay_with(page, VISA)
    payment = expect_paid_result(page, stripe_webhooks)
    assert payment.order == order
    assert Payment.objects.count() == 1  # one PaymentIntent, three attempts
    confirms = [r for r in stripe_webhooks.requests() if r["path"].endswith("/confirm")]
    assert len(confirms) == 3


def test_three_d_secure_failed_then_completed(page, stripe_webhooks):
    """A failed 3-D Secure then a completed one pays the order."""
    order = make_order()
    page.goto(f"/order/{order.pk}")
    open_card_form(page, "#pay-button")

    pay_with(page, THREE_D_SECURE)
    page.click("#test-source-fail-3ds")
    expect(page.locator("#payment-message")).to_contain_text("unable to authenticate")
    stripe_webhooks.flush_webhooks()
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED

    pay_with(page, THREE_D_SECURE)
    page.click("#test-source-authorize-3ds")
    expect_paid_result(page, stripe_webhooks)


def test_a_double_click_confirms_once(page, stripe_webhooks):
    """A second submit while confirming does not confirm twice."""
    order = make_order()
    page.goto(f"/order/{order.pk}")
    open_card_form(page, "#pay-button")
    pay_with(page, THREE_D_SECURE)  # the dialog keeps the confirmation in flight
    expect(page.locator("#submit-payment")).to_be_disabled()
    page.locator("#payment-form").evaluate("form => form.requestSubmit()")
    page.click("#test-source-authorize-3ds")
    expect_paid_result(page, stripe_webhooks)
    confirms = [r for r in stripe_webhooks.requests() if r["path"].endswith("/confirm")]
    assert len(confirms) == 1


def test_a_stripe_outage_is_explained_on_the_page(page, stripe_webhooks, settings):
    """When Stripe is down the card form says so on the page."""
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    stripe_webhooks.set_fault("POST /v1/payment_intents", error="api_error")
    page.goto(f"/order/{make_order().pk}")
    page.click("#pay-button")
    expect(page.locator("#payment-message")).to_contain_text(
        "We could not reach the payment provider."
    )
    stripe_webhooks.clear_faults()
    open_card_form(page, "#pay-button")


def test_in_russian(browser, live_server, stripe_webhooks):
    """The card form and its amount are shown in Russian for a Russian browser."""
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    context.set_default_timeout(10_000)
    page = context.new_page()
    item = make_item(name="Самовар", price="30.00", currency="eur")
    page.goto(f"/item/{item.pk}")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    open_card_form(page, "#buy-button")
    expect(page.locator("#submit-payment")).to_have_text(re.compile(r"^\s*Оплатить 30,00\s€\s*$"))
    pay_with(page, DECLINED)
    expect(page.locator("#payment-message")).to_contain_text("отклонена")
    pay_with(page, VISA)
    expect_paid_result(page, stripe_webhooks)
    expect(page.locator("#payment-result-title")).to_have_text("Спасибо: оплата прошла.")
    context.close()
