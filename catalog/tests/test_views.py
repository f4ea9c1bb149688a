"""The buyer's pages: what each shows, who may see an order, 404s, query counts and /healthz."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from catalog.cart import Cart
from catalog.models import Order, OrderStatus
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.tests.helpers import text

pytestmark = pytest.mark.django_db

MINUS = "\N{MINUS SIGN}"  # the order page writes a discount with a true minus sign


def element(html: str, element_id: str) -> str:
    """The opening tag, text and closing tag of the element with `element_id`."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>.*?</\1>', html, re.S)
    assert match, f"no element with id {element_id!r}"
    return match.group(0)


def buyer_client() -> Client:
    """A client whose session exists (and has a key) before the first request."""
    client = Client()
    client.session.save()
    return client


def session_key(client: Client) -> str:
    key = client.session.session_key
    assert key is not None
    return key


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
        """Title "Buy <name>", h1 name, p description, p price, Buy button: as in the spec."""
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


class TestOrderDetail:
    def test_shows_lines_and_totals_formatted(self, client):
        """Each line's name, unit price, quantity and amount; subtotal and total."""
        cup = make_item(name="Tea cup", price="15.00")
        pot = make_item(name="Teapot", price="40.00")
        order = make_order(lines=[(cup, 2), (pot, 1)])
        response = client.get(f"/order/{order.pk}")
        assert response.status_code == 200
        html = text(response)
        assert f"Order {order.pk}" in html
        assert "Tea cup" in html
        assert "Teapot" in html
        assert "$15.00" in html
        assert "$30.00" in html
        assert "$40.00" in html
        assert "$70.00" in element(html, "order-total")
        assert "Open" in element(html, "order-status")

    def test_shows_discount_rule_and_tax_rate_as_checkout_does(self, client):
        """20% off $100 is $20; 10% tax on the remaining $80 adds $8: total $88. The rows are
        named as Stripe Checkout names them: "Autumn sale (20% off)", "Sales tax (10%)"."""
        item = make_item(price="50.00")
        order = make_order(
            lines=[(item, 2)],
            discount=make_percent_discount(percent="20", name="Autumn sale"),
            tax=make_tax(percentage="10", display_name="Sales tax"),
        )
        html = text(client.get(f"/order/{order.pk}"))
        assert "Autumn sale (20% off)" in html
        assert f"{MINUS}$20.00" in html
        assert "Sales tax (10%)" in html
        assert "+$8.00" in html
        assert "$88.00" in element(html, "order-total")

    def test_inclusive_tax_is_shown_as_included_not_added(self, client):
        """A 20% inclusive VAT on $120 is $20 inside the total, not on top of it."""
        item = make_item(price="120.00")
        order = make_order(lines=[(item, 1)], tax=make_tax(percentage="20", inclusive=True))
        html = text(client.get(f"/order/{order.pk}"))
        assert "$120.00" in element(html, "order-total")
        assert "VAT (20% included)" in html
        assert "$20.00" in html

    def test_amount_discount_is_named(self, client):
        """An amount-off coupon shows its name, its rule and the amount taken off."""
        item = make_item(price="30.00")
        order = make_order(lines=[(item, 1)], discount=make_amount_discount(name="Welcome"))
        html = text(client.get(f"/order/{order.pk}"))
        assert "Welcome ($6.00 off)" in html
        assert f"{MINUS}$6.00" in html
        assert "$24.00" in element(html, "order-total")

    @pytest.mark.parametrize("status", [OrderStatus.OPEN, OrderStatus.FAILED, OrderStatus.CANCELED])
    def test_payable_order_has_pay_button_and_payment_container(self, client, status):
        """Open orders, and failed or canceled ones (nothing was charged: pay again), offer the
        Pay button and #payment."""
        order = make_order()
        order.status = status
        order.save()
        html = text(client.get(f"/order/{order.pk}"))
        assert f'data-order-id="{order.pk}"' in element(html, "pay-button")
        assert re.search(r'<section id="payment"[^>]*\bhidden\b[^>]*></section>', html)

    @pytest.mark.parametrize("status", [OrderStatus.PROCESSING, OrderStatus.PAID])
    def test_order_past_payment_has_no_pay_button(self, client, status):
        """A paid or processing order shows its status and nothing to pay."""
        order = make_order()
        order.status = status
        order.save()
        response = client.get(f"/order/{order.pk}")
        assertNotContains(response, 'id="pay-button"')
        assert str(status.label) in element(text(response), "order-status")


class TestOrderVisibility:
    def test_the_buyer_session_sees_its_order(self):
        """The session that placed an order may view it."""
        client = buyer_client()
        order = make_order(session_key=session_key(client))
        assert client.get(f"/order/{order.pk}").status_code == 200

    def test_another_session_gets_a_404(self):
        """Someone else's order is a 404, so order ids cannot be probed."""
        order = make_order(session_key=session_key(buyer_client()))
        stranger = buyer_client()
        assert stranger.get(f"/order/{order.pk}").status_code == 404
        assert Client().get(f"/order/{order.pk}").status_code == 404

    def test_staff_see_every_order(self):
        """Staff may look at any buyer's order."""
        order = make_order(session_key=session_key(buyer_client()))
        staff = get_user_model().objects.create_user("clerk", password="x", is_staff=True)
        client = Client()
        client.force_login(staff)
        assert client.get(f"/order/{order.pk}").status_code == 200

    def test_orders_made_in_the_admin_are_for_staff_only(self, client, admin_client):
        """An admin-made order (no session) is not public: order numbers are sequential, and
        anyone could open and pay it; staff see it."""
        order = make_order(session_key="")
        assert client.get(f"/order/{order.pk}").status_code == 404
        assert Client().get(f"/order/{order.pk}").status_code == 404
        assert admin_client.get(f"/order/{order.pk}").status_code == 200

    def test_the_demo_order_is_public(self, client, settings):
        """The sample order from load_demo_data (development only) opens for anyone, as the
        README promises."""
        settings.DEBUG = True
        call_command("load_demo_data", stdout=StringIO())
        order = Order.objects.get()
        assert client.get(f"/order/{order.pk}").status_code == 200


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
