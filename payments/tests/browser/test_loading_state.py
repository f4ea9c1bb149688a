"""Buy shows that the card form is loading, then gives way to the form's Pay button."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from catalog.tests.factories import make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visible_primary_buttons(page: Page) -> int:
    return page.locator(".button-primary:visible").count()


def wait_until_held(page: Page, held: list[Route]) -> Route:
    """The route handler runs when Playwright next reads the browser's events, which can be
    after the page has already shown its loading state: wait for it, for at most 5 s."""
    for _ in range(250):
        if held:
            return held[0]
        page.wait_for_timeout(20)
    raise AssertionError("the payment-intent request never left the page")


def test_buy_shows_loading_then_only_the_forms_pay_button(page: Page, stripe_webhooks):
    """While the PaymentIntent is on its way: a loading notice, Buy busy, no Pay; once the
    form is ready: Pay (with the amount), no Buy, no notice; one primary button throughout."""
    held: list[Route] = []
    page.route("**/payment-intent", lambda route: held.append(route))
    page.goto(f"/item/{make_item(price='24.00').pk}")
    page.click("#buy-button")

    loading = page.locator("#payment-loading")
    expect(loading).to_be_visible()
    expect(loading).to_have_text("Loading the payment form…")
    expect(loading).to_have_attribute("role", "status")
    expect(page.locator("#buy-button")).to_be_disabled()
    expect(page.locator("#buy-button")).to_have_attribute("aria-busy", "true")
    expect(page.locator("#submit-payment")).to_be_hidden()
    assert visible_primary_buttons(page) == 1

    wait_until_held(page, held).continue_()
    expect(page.locator("#submit-payment")).to_be_visible()
    expect(page.locator("#submit-payment")).to_have_text("Pay $24.00")
    expect(page.locator("#buy-button")).to_be_hidden()
    expect(loading).to_be_hidden()
    assert visible_primary_buttons(page) == 1


def test_a_failed_start_hides_the_notice_and_keeps_buy(page: Page, stripe_webhooks):
    """A payment-intent request that fails: the message shows, the notice goes, Buy works again."""
    page.route("**/payment-intent", lambda route: route.abort())
    page.goto(f"/item/{make_item().pk}")
    page.click("#buy-button")
    expect(page.locator("#payment-message")).not_to_be_empty()
    expect(page.locator("#payment-loading")).to_be_hidden()
    expect(page.locator("#buy-button")).to_be_enabled()
    expect(page.locator("#buy-button")).not_to_have_attribute("aria-busy", "true")
