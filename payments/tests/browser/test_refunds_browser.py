"""Refunds in headless Chromium: the owner refunds part, then the rest, from the admin; a refund
made in the Dashboard (directly at the emulator) reaches the shop; the buyer's order page shows
what came back, after the webhook arrived."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from catalog.tests.factories import make_item, make_order
from payments.models import Payment, PaymentStatus, Refund
from payments.tests.browser.test_card_payment import (
    VISA,
    expect_paid_result,
    open_card_form,
    pay_with,
)
from payments.tests.helpers import dashboard_refund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owner(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """The shop owner, logged in to the admin in a browser of their own (1280 px wide)."""
    User.objects.create_superuser("owner", "owner@example.com", "pass-word-1")
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "pass-word-1")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    yield page
    context.close()


def buyer_pays(page: Page, stripe_webhooks) -> Payment:
    """The buyer pays a 30.00 USD order with the card form; the webhook marks it paid."""
    order = make_order(lines=[(make_item(name="Teapot", price="30.00"), 1)])
    page.goto(f"/order/{order.pk}")
    open_card_form(page, "#pay-button")
    pay_with(page, VISA)
    return expect_paid_result(page, stripe_webhooks)


def refund_from_admin(owner: Page, payment: Payment, amount: str | None) -> None:
    """Open the payment, click Refund, type `amount` (or keep what is left), submit."""
    owner.goto(f"/admin/payments/payment/{payment.pk}/change/")
    owner.click("#refund-link")
    if amount is not None:
        owner.fill("#id_amount", amount)
    owner.select_option("#id_reason", "requested_by_customer")
    owner.click("#refund-submit")


def test_owner_refunds_part_then_the_rest_and_the_buyer_sees_it(page, owner, stripe_webhooks):
    """Partial then full refund from admin; an over-refund is refused with a message."""
    payment = buyer_pays(page, stripe_webhooks)

    refund_from_admin(owner, payment, "999.00")
    expect(owner.locator("#refund-error")).to_have_text(
        "At most $30.00 of this payment can be refunded."
    )
    owner.fill("#id_amount", "10.00")
    owner.click("#refund-submit")
    expect(owner.locator(".messagelist")).to_contain_text("Refund of $10.00: Succeeded.")
    stripe_webhooks.flush_webhooks()
    page.goto(f"/order/{payment.order_id}")
    expect(page.locator("#order-status")).to_contain_text("Partially refunded")
    expect(page.locator("#order-refunds")).to_contain_text("$10.00")

    refund_from_admin(owner, payment, None)  # the form offers what is left: 20.00
    expect(owner.locator(".messagelist")).to_contain_text("Refund of $20.00: Succeeded.")
    stripe_webhooks.flush_webhooks()
    page.reload()
    expect(page.locator("#order-status")).to_contain_text("Refunded")
    expect(page.locator("#order-refunded")).to_have_text("$30.00")
    expect(page.locator("#pay-button")).to_have_count(0)
    assert sorted(Refund.objects.values_list("amount", flat=True)) == [1000, 2000]


def test_a_dashboard_refund_reaches_the_buyers_page(page, stripe_webhooks):
    """A refund made at Stripe, not in the shop, arrives by webhook and shows on the order."""
    payment = buyer_pays(page, stripe_webhooks)
    dashboard_refund(payment, 750)
    stripe_webhooks.flush_webhooks()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    page.goto(f"/order/{payment.order_id}")
    expect(page.locator("#order-refunds")).to_contain_text("$7.50")
    expect(page.locator("#order-status")).to_contain_text("Partially refunded")


def test_admin_lists_fit_at_1280_px(page, owner, stripe_webhooks):
    """Payments, refunds and events lists need no sideways scrolling at 1280 px."""
    payment = buyer_pays(page, stripe_webhooks)
    refund_from_admin(owner, payment, "5.00")
    stripe_webhooks.flush_webhooks()
    for path in ("payments/payment", "payments/refund", "payments/webhookevent", "catalog/order"):
        owner.goto(f"/admin/{path}/")
        expect(owner.locator("#result_list")).to_be_visible()
        # The admin scrolls a list that is too wide inside its own box, not the page.
        hidden = owner.evaluate(
            "(() => { const box = document.querySelector('#changelist .results');"
            " return box.scrollWidth - box.clientWidth; })()"
        )
        assert hidden == 0, f"/admin/{path}/ hides {hidden} px of its list at 1280 px"
    owner.goto("/admin/payments/payment/")
    expect(owner.locator("#result_list")).to_contain_text("$30.00")
    expect(owner.locator("#result_list")).to_contain_text("$5.00")
