# ruff: noqa: RUF001 (Russian text is Cyrillic on purpose)
"""Stripe.js's `locale` and Checkout's `locale` in Russian: every Element, the 3-D Secure dialog,
the test-mode notices and the hosted Checkout summary speak the buyer's language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import (
    create_intent,
    create_session,
    fill_payment_element,
    normalised,
    open_merchant_page,
)

pytestmark = pytest.mark.browser


class TestElementsInRussian:
    def test_payment_element_and_its_test_mode_badge(self, page, site, client):
        """The Payment Element's tab, labels and badge are Russian with locale "ru"."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret, locale="ru")
        element = page.locator(".StripeElement")
        expect(element).to_contain_text("ТЕСТОВЫЙ РЕЖИМ — локальный эмулятор Stripe")
        expect(element).not_to_contain_text("TEST MODE")
        expect(element).to_contain_text("Карта")
        expect(page.get_by_label("Номер карты")).to_be_visible()
        expect(page.get_by_label("Срок действия")).to_be_visible()

    def test_card_element_and_its_badge(self, page, site, client):
        """The Card Element's badge and placeholder are Russian with locale "ru"."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "card", intent.client_secret, locale="ru")
        element = page.locator(".StripeElement")
        expect(element).to_contain_text("ТЕСТОВЫЙ РЕЖИМ")
        expect(element).not_to_contain_text("TEST MODE")

    def test_three_d_secure_dialog(self, page, site, client):
        """The 3-D Secure dialog: title, amount, badge, notice and buttons in Russian."""
        intent = create_intent(client, amount=1999, currency="eur")
        open_merchant_page(
            page, site.url, "payment", intent.client_secret, redirect="if_required", locale="ru"
        )
        fill_payment_element(page, "4000002500003155")
        page.click("#submit")
        dialog = page.get_by_role("dialog", name="Тестовая аутентификация")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("ТЕСТОВЫЙ РЕЖИМ")
        expect(dialog).to_contain_text("с карты ничего не списывается")
        expect(dialog).not_to_contain_text("no money")
        expect(dialog.locator(".__emu-3ds-amount")).to_have_text(
            re.compile(r"^Сумма платежа: 19,99\s€$")
        )
        expect(page.locator("#test-source-authorize-3ds")).to_have_text("Подтвердить (Complete)")

    def test_english_stays_english(self, page, site, client):
        """Without a locale (the browser is English) the badge is the English one."""
        intent = create_intent(client)
        open_merchant_page(page, site.url, "payment", intent.client_secret)
        expect(page.locator(".StripeElement")).to_contain_text("TEST MODE")


def test_hosted_checkout_summary_in_russian(page, site, client):
    """A Russian session's summary: «Подытог», the coupon's rule (decimal comma) and the tax
    rate in Russian, and the page's title."""
    rate = client.v1.tax_rates.create(
        params={"display_name": "НДС", "percentage": 20, "inclusive": True}
    )
    coupon = client.v1.coupons.create(
        params={"percent_off": 12.5, "duration": "once", "name": "Осенняя распродажа"}
    )
    session = create_session(
        client,
        site.url,
        locale="ru",
        line_items=[
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 2400,
                    "product_data": {"name": "Набор чашек для эспрессо"},
                },
                "quantity": 1,
                "tax_rates": [rate.id],
            }
        ],
        discounts=[{"coupon": coupon.id}],
    )
    page.goto(session.url)
    expect(page).to_have_title(re.compile("эмулятор Stripe"))
    rows = [normalised(row) for row in page.locator(".summary .totals .row").all_inner_texts()]
    assert [re.sub(r"\s+", " ", row) for row in rows] == [
        "Подытог 24,00 €",
        "Осенняя распродажа (скидка 12,5%) −3,00 €",
        "НДС (20% включён) 3,50 €",
        "Итого к оплате 21,00 €",
    ]
