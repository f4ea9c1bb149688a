"""Small steps the browser tests share: open a merchant page, fill a card, wait for a result."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Page

SECRET_KEY = "sk_test_browsershop"
PUBLISHABLE_KEY = "pk_test_browsershop"
OTHER_SECRET_KEY = "sk_test_othershop"
OTHER_PUBLISHABLE_KEY = "pk_test_othershop"
FUTURE_EXPIRY = "12 / 34"


@dataclass(frozen=True)
class Site:
    """The merchant site the ``site`` fixture serves, on its own origin."""

    url: str


def open_merchant_page(
    page: Page,
    site_url: str,
    kind: str,
    client_secret: str,
    *,
    pk: str = PUBLISHABLE_KEY,
    wait_ready: bool = True,
    **query: str,
) -> None:
    """Open /payment or /card on the merchant site and wait for the element's ready event."""
    params = {"pk": pk, "client_secret": client_secret, **query}
    page.goto(f"{site_url}/{kind}?{urlencode(params)}")
    if wait_ready:
        page.wait_for_selector("body[data-ready=yes]")


def fill_payment_element(
    page: Page,
    number: str,
    expiry: str = FUTURE_EXPIRY,
    cvc: str = "123",
    postal: str = "12345",
) -> None:
    page.fill("#Field-numberInput", number)
    page.fill("#Field-expiryInput", expiry)
    page.fill("#Field-cvcInput", cvc)
    if postal:
        page.fill("#Field-postalCodeInput", postal)


def fill_card_element(page: Page, number: str, expiry: str = FUTURE_EXPIRY) -> None:
    page.fill("input[name=cardnumber]", number)
    page.fill("input[name=exp-date]", expiry)
    page.fill("input[name=cvc]", "123")
    page.fill("input[name=postal]", "12345")


def submit_and_wait(page: Page) -> dict[str, Any]:
    """Press the merchant's Pay button and return what the confirm promise resolved with."""
    page.evaluate("window.result = null")
    page.click("#submit")
    page.wait_for_function("window.result !== null")
    result: dict[str, Any] = page.evaluate("window.result")
    return result


def create_intent(client: Any, amount: int = 1999, currency: str = "usd") -> Any:
    return client.v1.payment_intents.create(params={"amount": amount, "currency": currency})


def create_session(client: Any, site_url: str, **overrides: Any) -> Any:
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 1500,
                    "product_data": {"name": "Ceramic mug"},
                },
                "quantity": 2,
            }
        ],
        "success_url": f"{site_url}/success?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": f"{site_url}/cancel",
    }
    params.update(overrides)
    return client.v1.checkout.sessions.create(params=params)


def normalised(text: str) -> str:
    """Intl puts (narrow) no-break spaces in amounts; compare with plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


def intent_needing_3ds(client, return_url):
    return client.v1.payment_intents.create(
        params={
            "amount": 1999,
            "currency": "usd",
            "confirm": True,
            "payment_method": "pm_card_authenticationRequiredOnSetup",
            "return_url": return_url,
        }
    )
