"""A stranger pays an order made in the admin through its payment link, in Chromium."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from catalog.payment_links import create_payment_link, revoke_payment_link
from catalog.tests.factories import make_order
from payments.tests.browser.test_card_payment import (
    VISA,
    expect_paid_result,
    open_card_form,
    pay_with,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stranger(browser, live_server):
    """A browser with no cookies at all: no buyer session, no staff login."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_stranger_with_the_link_pays_a_staff_made_order(stranger, stripe_webhooks):
    """Without the link the order is a 404; with it, the card form pays it and the result shows."""
    order = make_order(session_key="")  # made in the admin: no buyer session
    link = create_payment_link(order)

    assert stranger.goto(f"/order/{order.pk}").status == 404
    stranger.goto(f"/pay/{link.token}")
    expect(stranger).to_have_url(re.compile(rf"/order/{order.pk}$"))
    open_card_form(stranger, "#pay-button")
    pay_with(stranger, VISA)
    payment = expect_paid_result(stranger, stripe_webhooks)
    assert payment.order == order


def test_a_revoked_link_leads_nowhere(stranger, stripe_webhooks):
    """After staff revoke the link, both the link and the order page are 404s."""
    order = make_order(session_key="")
    token = create_payment_link(order).token
    stranger.goto(f"/pay/{token}")
    expect(stranger.locator("#pay-button")).to_be_visible()
    revoke_payment_link(order)
    assert stranger.goto(f"/pay/{token}").status == 404
    assert stranger.goto(f"/order/{order.pk}").status == 404


def test_staff_copy_the_link_and_revoke_it_in_the_admin(page, stranger, stripe_webhooks):
    """The order's admin page shows the whole link; Copy puts it on the clipboard, the stranger
    opens it; Revoke makes it a 404."""
    order = make_order(session_key="")
    token = create_payment_link(order).token
    User.objects.create_superuser("admin", "admin@example.com", "pass-word-1")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/admin/login/?next=/admin/catalog/order/{order.pk}/change/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pass-word-1")
    page.click("input[type=submit]")

    link = page.locator("#payment-link-url")
    expect(link).to_have_value(re.compile(rf"^http://[^/]+/pay/{token}$"))
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == link.input_value()
    stranger.goto(copied)
    expect(stranger).to_have_url(re.compile(rf"/order/{order.pk}$"))

    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".messagelist")).to_contain_text("The payment link is revoked")
    assert stranger.goto(copied).status == 404
    assert stranger.goto(f"/order/{order.pk}").status == 404
