"""What a buyer sees in Chromium: catalog, item, cart and order pages, in English and Russian."""

import re

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Order
from catalog.tests.factories import make_item, make_order, make_percent_discount, make_tax

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\xa0"  # Babel separates Russian thousands and the currency sign with no-break spaces


def switch_language(page: Page, name: str) -> None:
    """Press a language button in the header and wait for the page to come back."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


class TestBrowsing:
    def test_catalog_and_item_page_in_both_languages(self, page: Page):
        """The catalog lists the item; its page has the spec's layout; Russian formats money."""
        item = make_item(
            name="Item 1", price="1234.50", currency="eur", description="A porcelain tea set."
        )
        page.goto("/")
        expect(page).to_have_title("Demo Shop")
        card = page.get_by_role("listitem").filter(has_text="Item 1")
        expect(card).to_contain_text("€1,234.50")

        card.get_by_role("link", name="Item 1").click()
        expect(page).to_have_url(re.compile(rf"/item/{item.pk}$"))
        expect(page).to_have_title("Buy Item 1")
        expect(page.get_by_role("heading", level=1)).to_have_text("Item 1")
        expect(page.locator("#item-price")).to_have_text("€1,234.50")
        expect(page.locator("#buy-button")).to_have_text("Buy")
        expect(page.locator("#payment")).to_be_hidden()

        switch_language(page, "Русский")
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page).to_have_url(re.compile(rf"/item/{item.pk}$"))  # `next` kept the page
        expect(page).to_have_title("Купить Item 1")
        expect(page.locator("#item-price")).to_have_text(f"1{NBSP}234,50{NBSP}€")
        expect(page.locator("#buy-button")).to_have_text("Купить")

        page.goto("/")  # the choice is remembered across pages
        expect(page.get_by_role("heading", level=1)).to_have_text("Каталог")
        switch_language(page, "English")
        expect(page.get_by_role("heading", level=1)).to_have_text("Catalog")

    def test_order_page_in_both_languages(self, page: Page):
        """A shared (demo) order shows lines, discount, tax and total, formatted per language."""
        cup = make_item(name="Tea cup", price="1000.00", currency="eur")
        order = make_order(
            lines=[(cup, 2)],
            discount=make_percent_discount(percent="10", name="Autumn sale"),
            tax=make_tax(percentage="20", display_name="VAT"),
        )
        page.goto(f"/order/{order.pk}")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order.pk}")
        expect(page.locator("#order-status")).to_contain_text("Open")
        expect(page.get_by_role("row", name=re.compile("Tea cup"))).to_contain_text("€2,000.00")
        expect(page.locator("#order-totals")).to_contain_text("Autumn sale (10% off)")
        expect(page.locator("#order-total")).to_have_text("€2,160.00")  # (2000 - 10%) + 20% tax
        expect(page.locator("#pay-button")).to_be_visible()

        switch_language(page, "Русский")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Заказ {order.pk}")
        expect(page.locator("#order-status")).to_contain_text("Открыт")
        expect(page.locator("#order-total")).to_have_text(f"2{NBSP}160,00{NBSP}€")
        expect(page.locator("#pay-button")).to_have_text("Оплатить")


class TestBuyingThroughTheCart:
    def test_add_to_cart_and_place_the_order(self, page: Page):
        """Add two units, see the cart badge and subtotal, place the order, land on it."""
        item = make_item(name="Teapot", price="40.00", currency="usd")
        page.goto(f"/item/{item.pk}")
        page.get_by_label("Quantity").fill("2")
        page.get_by_role("button", name="Add to cart").click()

        expect(page).to_have_url(re.compile(r"/cart/$"))
        expect(page.get_by_role("status")).to_contain_text("Teapot is in your cart.")
        expect(page.locator(".cart-link .badge")).to_have_text("2")
        expect(page.locator(".totals")).to_contain_text("$80.00")

        page.get_by_role("button", name="Place order").click()
        expect(page).to_have_url(re.compile(r"/order/\d+$"))  # the order exists from here
        order = Order.objects.get()
        expect(page).to_have_url(re.compile(rf"/order/{order.pk}$"))
        expect(page.locator("#order-total")).to_have_text("$80.00")
        expect(page.locator(".cart-link .badge")).to_have_text("0")

    def test_a_second_currency_is_refused_on_the_page(self, page: Page):
        """A euro item cannot join a dollar cart; the buyer is told why."""
        dollars = make_item(name="Cup", currency="usd")
        euros = make_item(name="Mug", currency="eur")
        page.goto(f"/item/{dollars.pk}")
        page.get_by_role("button", name="Add to cart").click()
        page.goto(f"/item/{euros.pk}")
        page.get_by_role("button", name="Add to cart").click()
        expect(page).to_have_url(re.compile(rf"/item/{euros.pk}$"))
        expect(page.get_by_role("status")).to_contain_text("priced in USD")
        expect(page.locator(".cart-link .badge")).to_have_text("1")
