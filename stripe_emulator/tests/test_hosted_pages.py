"""The hosted Checkout page rendered from the emulator's state, without a browser or a socket."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from stripe_emulator.app import create_app
from stripe_emulator.browser import pages
from stripe_emulator.config import AccountConfig, Options
from stripe_emulator.endpoint import Call
from stripe_emulator.resources import checkout, checkout_outcomes
from stripe_emulator.state import STATE_KEY

SHOP = "http://shop.test"


def _app_with_session(**overrides: Any) -> tuple[web.Application, dict[str, Any]]:
    app = create_app(Options(accounts=(AccountConfig("sk_test_pages"),)))
    state = app[STATE_KEY]
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [{"quantity": 1, "price_data": {
            "currency": "usd", "unit_amount": 1500, "product_data": {"name": "Mug"}}}],
        "success_url": f"{SHOP}/success",
        "cancel_url": f"{SHOP}/cancel",
    }  # fmt: skip
    call = Call(state, state.accounts["pages"], params, {}, False, "http://emu.test")
    return app, checkout.create(call)


def _render(app: web.Application, cs_id: str) -> web.Response:
    # A mocked request has no transport: the page cannot fetch anything over the network.
    request = make_mocked_request("GET", f"/c/pay/{cs_id}", match_info={"cs_id": cs_id}, app=app)
    # A loop of its own in a thread: Playwright's sync API may own this thread's loop.
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, pages.checkout_page(request)).result()
    assert isinstance(response, web.Response)
    return response


class TestCheckoutPageFromState:
    def test_renders_from_state_without_a_loopback_request(self) -> None:
        """The page reads the session in-process (no ClientSession to its own JSON route)."""
        app, session = _app_with_session()
        response = _render(app, session["id"])
        assert response.status == 200
        assert response.text is not None
        assert "Mug" in response.text
        assert f'id="cancel-link" class="back" href="{SHOP}/cancel"' in response.text

    def test_unknown_session_is_the_404_page(self) -> None:
        """An id no account holds: the not-found page, with the test-mode notice."""
        app, _ = _app_with_session()
        response = _render(app, "cs_test_nothing")
        assert response.status == 404
        assert response.text is not None
        assert "no money moves" in response.text


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.domain)", "data:text/html,<b>x</b>", "//evil.test/x",
     "http:///nohost", "https://shop.test/a b"],
)  # fmt: skip
class TestCancelUrlIsNeverAnUnsafeLink:
    def test_open_session_page_has_no_link(self, url: str) -> None:
        """Even if a bad cancel_url got past the API's check, the page draws no link to it."""
        app, session = _app_with_session()
        session["cancel_url"] = url
        text = _render(app, session["id"]).text
        assert text is not None
        assert "cancel-link" not in text
        assert 'href="javascript' not in text
        assert url not in text

    def test_gone_page_has_no_link(self, url: str) -> None:
        """Nor does the 410 page of an expired session."""
        app, session = _app_with_session()
        state = app[STATE_KEY]
        checkout_outcomes.expire_session(state, state.accounts["pages"], session)
        session["cancel_url"] = url
        response = _render(app, session["id"])
        assert response.status == 410
        assert response.text is not None
        assert "<a " not in response.text.split('class="testbar"')[1]


class TestShopLink:
    @pytest.mark.parametrize("url", [f"{SHOP}/cancel", "https://shop.test/c?x=1"])
    def test_http_urls_pass(self, url: str) -> None:
        """Absolute http(s) URLs are kept as they are."""
        assert pages.shop_link(url) == url

    @pytest.mark.parametrize("url", [None, "", "/relative", "ftp://shop.test/", 42])
    def test_others_are_dropped(self, url: object) -> None:
        """Anything else gives no link."""
        assert pages.shop_link(url) is None
