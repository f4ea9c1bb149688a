"""The full-page 3-D Secure challenge behind ``next_action.redirect_to_url``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .helpers import intent_needing_3ds

pytestmark = pytest.mark.browser


class TestThreeDSecurePage:
    def test_complete_returns_to_return_url_and_the_intent_succeeds(self, page, site, client):
        """Completing on the 3-D Secure page returns to return_url and the intent succeeds."""
        intent = intent_needing_3ds(client, f"{site.url}/return")
        assert intent.status == "requires_action"
        page.goto(intent.next_action.redirect_to_url.url)
        expect(page.get_by_role("heading", name="Test authentication")).to_be_visible()
        page.click("#test-source-authorize-3ds")
        page.wait_for_url(f"{site.url}/return?*")
        query = parse_qs(urlsplit(page.url).query)
        assert query["payment_intent"] == [intent.id]
        assert query["redirect_status"] == ["succeeded"]
        assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"

    def test_fail_returns_with_failed_status(self, page, site, client):
        """Failing on the 3-D Secure page returns with redirect_status=failed."""
        intent = intent_needing_3ds(client, f"{site.url}/return")
        page.goto(intent.next_action.redirect_to_url.url)
        page.click("#test-source-fail-3ds")
        page.wait_for_url(f"{site.url}/return?*")
        assert parse_qs(urlsplit(page.url).query)["redirect_status"] == ["failed"]
        assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"
