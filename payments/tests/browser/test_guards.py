"""The card form when the page's guards act: a failed CSRF check, a server that never answers,
and the Content-Security-Policy letting Stripe.js (another origin) and 3-D Secure work."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from catalog.tests.factories import make_item, make_order
from payments.tests.browser.test_card_payment import (
    THREE_D_SECURE,
    expect_paid_result,
    open_card_form,
    pay_with,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_csrf_check_is_explained_in_the_form(page: Page, stripe_webhooks):
    """The CSRF cookie gone (expired, cleared): the form shows the shop's message, not a
    generic error, and nothing reaches Stripe."""
    page.goto(f"/item/{make_item().pk}")
    page.context.clear_cookies(name="csrftoken")
    page.click("#buy-button")
    expect(page.locator("#payment-message")).to_have_text(
        "This page has expired, so nothing was sent and nothing was charged."
        " Reload the page and try again."
    )
    assert stripe_webhooks.requests() == []


def test_a_server_that_never_answers_gives_up_with_a_message(page: Page, stripe_webhooks):
    """The payment-intent request hanging past the form's 35 s: the form says so and the
    button works again."""
    page.clock.install()
    hanging: list[Route] = []
    page.route("**/payment-intent", lambda route: hanging.append(route))  # never answered
    page.goto(f"/order/{make_order().pk}")
    page.click("#pay-button")
    expect(page.locator("#pay-button")).to_be_disabled()
    page.clock.run_for(34_000)
    expect(page.locator("#payment-message")).to_have_text("")
    page.clock.run_for(2_000)
    expect(page.locator("#payment-message")).to_have_text(
        "The payment service is taking too long. Nothing was charged; please try again in a minute."
    )
    expect(page.locator("#pay-button")).to_be_enabled()


def test_the_policy_lets_stripe_js_and_3ds_work(page: Page, stripe_webhooks):
    """Stripe.js from the emulator's origin, its card form and the 3-D Secure dialog work under
    the shop's Content-Security-Policy, with no violation reported."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(f"/order/{make_order().pk}")
    assert response is not None
    assert "script-src 'self' http://127.0.0.1" in response.headers["content-security-policy"]
    open_card_form(page, "#pay-button")
    pay_with(page, THREE_D_SECURE)
    page.click("#test-source-authorize-3ds")
    expect_paid_result(page, stripe_webhooks)
    assert violations == []


def test_stripe_js_failing_to_load_is_explained_and_the_next_click_loads_it(
    page: Page, stripe_webhooks
):
    """The page's own Stripe.js tag failed (blocked on the way): Buy waits a bounded time, says
    the card form could not be loaded, and once Stripe.js is reachable the next click loads it."""
    blocked = [True]

    def stripe_js(route: Route) -> None:
        if blocked[0]:
            route.abort()
        else:
            route.continue_()

    page.clock.install()
    page.route(lambda url: url.endswith("/stripe.js"), stripe_js)
    page.goto(f"/item/{make_item().pk}")
    with page.expect_response(lambda response: response.url.endswith("/payment-intent")):
        page.click("#buy-button")
    # The bounded wait for the page's own tag starts once the page has read the response body,
    # which can be after the response itself: advance the clock until that wait has run out.
    message = page.locator("#payment-message")
    for _ in range(5):
        page.clock.run_for(10_500)
        if message.text_content():
            break
    expect(message).to_have_text(
        "The card form could not be loaded. Check your connection and try again."
    )
    blocked[0] = False
    page.clock.resume()
    page.click("#buy-button")
    expect(page.locator("#Field-numberInput")).to_be_visible()
