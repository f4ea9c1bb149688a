"""English and Russian: the language switch, money formatting per language, the catalogs."""

# ruff: noqa: RUF001  (Russian text is expected here, not Latin look-alikes)

from collections.abc import Sequence
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from pytest_django.asserts import assertContains, assertRedirects

from catalog.models import Item, OrderStatus
from catalog.templatetags.shop import money
from catalog.tests.factories import make_item, make_order
from catalog.tests.helpers import text

LOCALE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"


def _key(value: str | Sequence[str] | None) -> str | tuple[str, ...] | None:
    """Babel reads plural ids and strings as tuples from .po files but lists from .mo files."""
    return value if value is None or isinstance(value, str) else tuple(value)


def switch_to_russian(client, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": "ru", "next": next_url})


@pytest.mark.django_db
class TestLanguageSwitch:
    def test_setlang_switches_the_page_and_returns_to_it(self, client):
        """The header form posts to set_language, which sets the cookie and redirects to next."""
        item = make_item(name="Item 1", price="1234.50", currency="eur")
        response = switch_to_russian(client, f"/item/{item.pk}")
        assertRedirects(response, f"/item/{item.pk}")
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"

        html = text(client.get(f"/item/{item.pk}"))
        assert '<html lang="ru">' in html
        assert "<title>Купить Item 1</title>" in html
        assert ">Купить</button>" in html
        assert ">1 234,50 €</p>" in html
        assert 'value="ru" lang="ru"\n                    aria-pressed="true"' in html

    def test_english_is_the_default(self, client):
        """Without a choice the shop speaks English with English number formats."""
        item = make_item(price="1234.50", currency="eur")
        html = text(client.get(f"/item/{item.pk}"))
        assert '<html lang="en">' in html
        assert "€1,234.50" in html

    def test_the_browser_language_is_honoured(self, client):
        """Accept-Language: ru gives Russian without pressing the switch."""
        assertContains(client.get("/", headers={"accept-language": "ru"}), "Каталог")

    def test_order_page_in_russian(self, client):
        """Status, headings and amounts are Russian, with Russian number formats."""
        order = make_order(lines=[(make_item(price="1500", currency="jpy"), 2)])
        switch_to_russian(client)
        html = text(client.get(f"/order/{order.pk}"))
        assert f"Заказ {order.pk}" in html
        assert "Открыт" in html
        assert "3 000 ¥" in html
        assert ">Оплатить</button>" in html

    @pytest.mark.parametrize(
        ("units", "words"), [(1, "1 товар"), (3, "3 товара"), (5, "5 товаров"), (21, "21 товар")]
    )
    def test_cart_badge_uses_russian_plurals(self, client, units, words):
        """The cart link's spoken count follows Russian plural rules."""
        item = make_item()
        client.post(f"/cart/add/{item.pk}", {"quantity": str(units)})
        switch_to_russian(client)
        assertContains(client.get("/"), f"({words})")

    def test_cart_messages_are_translated(self, client):
        """Messages from the cart and the domain reach the buyer in Russian."""
        dollars, euros = make_item(currency="usd"), make_item(currency="eur")
        switch_to_russian(client)
        client.post(f"/cart/add/{dollars.pk}", {"quantity": "1"})
        response = client.post(f"/cart/add/{euros.pk}", {"quantity": "1"}, follow=True)
        assert "В корзине товары с ценами в USD" in text(response)
        client.post(f"/cart/remove/{dollars.pk}")
        response = client.post("/cart/order", follow=True)
        assert "В заказе должен быть хотя бы один товар." in text(response)


class TestMoneyFilter:
    @pytest.mark.parametrize(
        ("language", "minor", "currency", "expected"),
        [
            ("en", 123450, "eur", "€1,234.50"),
            ("ru", 123450, "eur", "1\xa0234,50\xa0€"),
            ("en", 1999, "usd", "$19.99"),
            ("ru", 1999, "usd", "19,99\xa0$"),
            ("en", 1500, "jpy", "¥1,500"),
            ("ru", 1500, "jpy", "1\xa0500\xa0¥"),
        ],
    )
    def test_formats_for_the_active_language(self, language, minor, currency, expected):
        """`{{ amount|money:currency }}` follows the active language and the currency's digits."""
        with translation.override(language):
            assert money(minor, currency) == expected


class TestCatalogs:
    def test_every_russian_message_is_translated(self):
        """No empty or fuzzy entry is left in the Russian catalog."""
        with (LOCALE / "django.po").open("rb") as po:
            catalog = read_po(po)
        untranslated = [
            message.id
            for message in catalog
            if message.id
            and (
                message.fuzzy
                or not all(
                    message.string if isinstance(message.string, tuple) else [message.string]
                )
            )
        ]
        assert untranslated == []

    def test_the_committed_mo_matches_the_po(self):
        """The compiled catalog is up to date, so a fresh machine needs no gettext."""
        with (LOCALE / "django.po").open("rb") as po, (LOCALE / "django.mo").open("rb") as mo:
            source, compiled = read_po(po), read_mo(mo)
        expected = {_key(message.id): _key(message.string) for message in source if message.id}
        actual = {_key(message.id): _key(message.string) for message in compiled if message.id}
        assert actual == expected

    def test_model_names_and_choices_are_translated(self):
        """The domain's verbose names and status labels have Russian translations."""
        with translation.override("ru"):
            assert str(Item._meta.verbose_name) == "товар"
            assert str(OrderStatus.PAID.label) == "Оплачен"
