"""Every page the emulator serves says it is a test emulator and that no money moves."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import create_session, intent_needing_3ds

pytestmark = pytest.mark.browser

NOTICE = "TEST MODE - local Stripe emulator. This is not Stripe: no card is charged and no money"


def assert_notice(page, response, status):
    assert response is not None
    assert response.status == status
    note = page.get_by_role("note")
    expect(note).to_be_visible()
    expect(note).to_contain_text(NOTICE)
    expect(note).to_contain_text("no money moves")


class TestNotice:
    def test_hosted_checkout_page(self, page, site, client):
        """The hosted Checkout page carries the test-mode notice."""
        session = create_session(client, site.url)
        assert_notice(page, page.goto(session.url), 200)
        expect(page.locator('[data-testid="hosted-payment-submit-button"]')).to_be_visible()

    def test_threeds_page(self, page, site, client):
        """The 3-D Secure page carries the test-mode notice."""
        intent = intent_needing_3ds(client, f"{site.url}/return")
        assert_notice(page, page.goto(intent.next_action.redirect_to_url.url), 200)
        expect(page.locator("#test-source-authorize-3ds")).to_be_visible()

    def test_not_found_page(self, page, emulator):
        """The page for an unknown Checkout Session carries the notice and answers 404."""
        url = f"{emulator.url.rstrip('/')}/c/pay/cs_test_a1nothinghere"
        assert_notice(page, page.goto(url), 404)
        expect(page.get_by_role("heading")).to_have_text("Checkout session not found")

    def test_gone_page(self, page, site, client):
        """The page for an expired Checkout Session carries the notice and answers 410."""
        session = create_session(client, site.url)
        client.v1.checkout.sessions.expire(session.id)
        assert_notice(page, page.goto(session.url), 410)
        expect(page.get_by_role("heading")).to_have_text(
            "This checkout session is no longer available"
        )

    def test_russian_pages_carry_the_notice_in_russian(self, page, site, client):
        """Russian hosted pages show the notice in Russian."""
        session = create_session(client, site.url, locale="ru")
        response = page.goto(session.url)
        assert response is not None
        note = page.get_by_role("note")
        expect(note).to_contain_text("ТЕСТОВЫЙ РЕЖИМ")
        expect(note).to_contain_text("с карты ничего не списывается")  # noqa: RUF001
