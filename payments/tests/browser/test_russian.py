# ruff: noqa: RUF001 (Russian text is Cyrillic on purpose)
"""A Russian buyer end to end in Chromium: the shop's pages, the Payment Element and hosted
Checkout in Russian, the item, discount and tax names in Russian, and a Russian receipt."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Discount, Item, Order, Tax
from catalog.tests.browser.test_pages import switch_language
from catalog.tests.factories import make_order
from payments.tests.browser.test_checkout_browser import pay_on_checkout
from stripe_emulator.testing import RunningEmulator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\xa0"


def russian_order() -> Order:
    """An order whose item, discount and tax are named in both languages."""
    item = Item(
        name_en="Espresso cup set",
        name_ru="Набор чашек для эспрессо",
        price=Decimal("24.00"),
        currency="eur",
    )
    item.full_clean()
    item.save()
    discount = Discount.objects.create(
        name_en="Autumn sale", name_ru="Осенняя распродажа", percent_off=Decimal("10")
    )
    tax = Tax.objects.create(
        display_name_en="VAT", display_name_ru="НДС", percentage=Decimal("20"), inclusive=True
    )
    return make_order(lines=[(item, 1)], discount=discount, tax=tax)


def open_in_russian(page: Page, order: Order) -> None:
    page.goto(f"/order/{order.pk}")
    switch_language(page, "Русский")
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def test_the_order_page_and_its_payment_element_in_russian(
    page: Page, stripe_webhooks: RunningEmulator
):
    """Names, the discount rule, the tax rate and «Подытог» in Russian; the card form loads
    with a Russian notice, and Stripe.js (made with locale "ru") shows a Russian Element."""
    order = russian_order()
    open_in_russian(page, order)
    expect(page.get_by_role("row", name=re.compile("Набор чашек для эспрессо"))).to_be_visible()
    totals = page.locator("#order-totals")
    expect(totals).to_contain_text("Подытог")
    expect(totals).to_contain_text("Осенняя распродажа (скидка 10%)")
    expect(totals).to_contain_text("НДС (20%, включён в цену)")
    expect(page.locator("#order-total")).to_have_text(f"21,60{NBSP}€")

    page.click("#pay-button")
    expect(page.locator("#payment-loading")).to_have_text("Загружаем форму оплаты…")
    expect(page.get_by_label("Номер карты")).to_be_visible()
    expect(page.locator(".StripeElement")).to_contain_text("ТЕСТОВЫЙ РЕЖИМ")
    expect(page.locator("#submit-payment")).to_have_text(re.compile(r"^\s*Оплатить 21,60\s€\s*$"))


def test_checkout_in_russian_and_a_russian_receipt(page: Page, stripe_webhooks: RunningEmulator):
    """Checkout gets locale "ru" and the Russian names: its page is Russian throughout; the
    success page is a Russian receipt."""
    order = russian_order()
    open_in_russian(page, order)
    page.click("#pay-button")
    expect(page.locator("#submit-payment")).to_be_visible()
    page.get_by_role("button", name="Оплатить через Stripe Checkout").click()
    page.wait_for_url(re.compile(re.escape(f"{stripe_webhooks.url}/c/pay/cs_test_")))

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    summary = page.locator(".summary")
    expect(summary).to_contain_text("Набор чашек для эспрессо")
    expect(summary).to_contain_text("Подытог")
    expect(summary).to_contain_text("Осенняя распродажа (скидка 10%)")
    expect(summary).to_contain_text("НДС (20% включён)")
    expect(summary).to_contain_text("Итого к оплате")
    expect(page.get_by_role("note")).to_contain_text("ТЕСТОВЫЙ РЕЖИМ")
    created = [r for r in stripe_webhooks.requests() if r["path"] == "/v1/checkout/sessions"]
    assert created[-1]["params"]["locale"] == "ru"

    pay_on_checkout(page)
    page.wait_for_url(re.compile(r"/payments/checkout/success\?session_id=cs_test_"))
    expect(page.locator("#payment-result-title")).to_have_text("Спасибо: оплата прошла.")
    expect(page.locator("#receipt-title")).to_have_text(f"Чек по заказу {order.pk}")
    expect(page.locator("#receipt-card")).to_have_text("Visa, карта •••• 4242")
