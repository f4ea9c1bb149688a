"""The buyer's pages: what the item pages show, 404s, query counts and /healthz (the order page:
test_views_order.py)."""

import re

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from pytest_django.asserts import assertContains, assertTemplateUsed

from catalog.cart import Cart
from catalog.tests.factories import (
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.tests.helpers import buyer_client, element, session_key, text

pytestmark = pytest.mark.django_db


class TestItemList:
    def test_lists_each_item_with_name_description_price_and_link(self, client):
        """Every item appears as a card linking to its page, priced in its own currency."""
        cup = make_item(name="Tea cup", price="15.00", currency="usd", description="Bone china.")
        pot = make_item(name="Teapot", price="1234.50", currency="eur")
        response = client.get("/")
        assert response.status_code == 200
        assertTemplateUsed(response, "catalog/item_list.html")
        html = text(response)
        for item in (cup, pot):
            assert item.name in html
            assert f'href="/item/{item.pk}"' in html
        assert "Bone china." in html
        assert "$15.00" in html
        assert "€1,234.50" in html

    def test_says_so_when_nothing_is_for_sale(self, client):
        """An empty catalog explains itself instead of showing an empty grid."""
        assertContains(client.get("/"), "There is nothing for sale yet")

    def test_every_page_has_header_cart_link_language_switch_and_footer(self, client):
        """The layout: landmarks, the cart link with its count and the set_language form."""
        html = text(client.get("/"))
        assert '<html lang="en">' in html
        for landmark in ("<header", "<nav", "<main", "<footer"):
            assert landmark in html
        assert 'href="/cart/"' in html
        assert 'action="/i18n/setlang/"' in html
        assert 'name="next" value="/"' in html
        assert 'value="ru" lang="ru"' in html
        assert "Русский" in html


class TestItemDetail:
    def test_has_the_assignment_page_structure(self, client):
        """Title "Buy <name>", h1 name, p description, p price, Buy button."""
        item = make_item(name="Item 1", price="19.99", description="The first item.")
        response = client.get(f"/item/{item.pk}")
        assert response.status_code == 200
        html = text(response)
        assert "<title>Buy Item 1</title>" in html
        assert re.search(r"<h1>\s*Item 1\s*</h1>", html)
        assert re.search(r"<p[^>]*>The first item.</p>", html)
        assert re.search(r'<p[^>]*id="item-price"[^>]*>\$19.99</p>', html)
        button = element(html, "buy-button")
        assert button.startswith("<button")
        assert button.endswith(">Buy</button>")
        assert f'data-item-id="{item.pk}"' in button

    def test_has_a_hidden_payment_container_for_the_payments_script(self, client):
        """The payments script fills an empty, hidden #payment section below the Buy button."""
        item = make_item()
        html = text(client.get(f"/item/{item.pk}"))
        assert re.search(r'<section id="payment"[^>]*\bhidden\b[^>]*></section>', html)
        assert html.index('id="buy-button"') < html.index('id="payment"')

    def test_offers_an_add_to_cart_form_with_csrf(self, client):
        """A POST form to the cart with a labelled quantity field and a CSRF token."""
        item = make_item()
        html = text(client.get(f"/item/{item.pk}"))
        assert f'action="/cart/add/{item.pk}"' in html
        assert 'name="csrfmiddlewaretoken"' in html
        assert re.search(r'<label for="id_quantity">Quantity</label>', html)

    def test_zero_decimal_price_shows_no_decimals(self, client):
        """JPY prices show whole yen."""
        item = make_item(price="1500", currency="jpy")
        assertContains(client.get(f"/item/{item.pk}"), "¥1,500")


class TestNotFound:
    @pytest.mark.parametrize(
        "path",
        [
            "/item/999999",
            "/item/0",
            "/item/abc",
            "/item/-1",
            "/item/1.5",
            "/item/99999999999999999999999999",
            "/order/0",
            "/order/999999",
            "/order/abc",
            "/order/99999999999999999999999999",
            "/no-such-page",
        ],
    )
    def test_missing_or_malformed_ids_get_the_friendly_404_page(self, client, path):
        """Unknown and unparsable ids are a 404 with the shop's own page, never a 500."""
        response = client.get(path)
        assert response.status_code == 404
        assertTemplateUsed(response, "404.html")
        assertContains(response, "Page not found", status_code=404)
        assertContains(response, 'href="/"', status_code=404)

    def test_500_page_renders_without_a_request_context(self):
        """Django renders 500.html with an empty context; it must still stand on its own."""
        response = server_error(RequestFactory().get("/"))
        assert response.status_code == 500
        assert b"Something went wrong" in response.content


class TestQueryCounts:
    """Pages make a fixed number of queries, however big the cart or the order."""

    @pytest.mark.parametrize("lines", [1, 10, 100])
    def test_item_page(self, django_assert_num_queries, lines):
        """Session, item: 2 queries, whatever the cart holds (the badge reads only the session)."""
        client = buyer_client()
        session = client.session
        for number in range(lines):
            Cart(session).add(make_item(name=f"Item {number}"), 1)
        session.save()
        item = make_item()
        with django_assert_num_queries(2):
            response = client.get(f"/item/{item.pk}")
        assert response.status_code == 200

    @pytest.mark.parametrize("items", [1, 10, 100])
    def test_catalog_page(self, django_assert_num_queries, items):
        """Session, the items: 2 queries however many items there are (the first visit, which
        renders the page, and the next, which fills in the stored one)."""
        client = buyer_client()
        for number in range(items):
            make_item(name=f"Item {number}")
        for _visit in range(2):
            with django_assert_num_queries(2):
                response = client.get("/")
            assert text(response).count('class="card"') == items

    @pytest.mark.parametrize("lines", [1, 10, 100])
    def test_order_page(self, django_assert_num_queries, lines):
        """Session, order with discount and tax, lines with items, its open payment attempts
        (none here): 4 queries at any size."""
        client = buyer_client()
        order = make_order(
            lines=[(make_item(name=f"Item {number}"), 2) for number in range(lines)],
            discount=make_percent_discount(),
            tax=make_tax(),
            session_key=session_key(client),
        )
        with django_assert_num_queries(4):
            response = client.get(f"/order/{order.pk}")
        assert response.status_code == 200
        assert text(response).count("<tr>") == lines + 1  # the lines and the heading row

    @pytest.mark.parametrize("lines", [1, 10, 100])
    def test_cart_page(self, django_assert_num_queries, lines):
        """Session, the cart's items in one query: 2 queries at any size."""
        client = buyer_client()
        session = client.session
        for number in range(lines):
            Cart(session).add(make_item(name=f"Item {number}"), 1)
        session.save()
        with django_assert_num_queries(2):
            assert client.get("/cart/").status_code == 200


class TestHealthz:
    def test_ok_when_the_database_answers(self, client):
        """200 and a small JSON body after a trivial query."""
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_503_when_the_database_fails(self, client, monkeypatch):
        """A database error becomes a 503 JSON answer, not a 500 page."""

        class BrokenConnection:
            def cursor(self):
                raise OperationalError("connection refused")

        monkeypatch.setattr("project.views.connection", BrokenConnection())
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unavailable"}

    def test_only_get(self, client):
        """The probe is read-only."""
        assert client.post("/healthz").status_code == 405


def test_url_names_resolve_to_the_documented_paths():
    """The paths other apps and the README rely on."""
    assert reverse("catalog:item_list") == "/"
    assert reverse("catalog:item_detail", args=[1]) == "/item/1"
    assert reverse("catalog:order_detail", args=[1]) == "/order/1"
    assert reverse("catalog:cart_detail") == "/cart/"
    assert reverse("healthz") == "/healthz"


@pytest.mark.django_db
class TestStripeJsOnEveryPage:
    @pytest.mark.parametrize("path", ["/", "/cart/"])
    def test_pages_load_stripe_js_from_the_configured_url(self, client, settings, path):
        """Stripe.js is on every page (Stripe's fraud signals watch the whole visit), from
        STRIPE_JS_URL: the emulator's in development, js.stripe.com otherwise."""
        settings.STRIPE_JS_URL = "https://js.example.test/v3/"
        html = client.get(path).content.decode()
        assert '<script src="https://js.example.test/v3/" async data-stripe-js></script>' in html
